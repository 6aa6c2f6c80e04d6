;; Turns the UTF-8 of characters U+0000-U+00FF back into one byte each, in
;; place in the imported memory: `collapse(length)` reads `length` bytes of
;; UTF-8 from address 0 and writes the characters' codes from address 0
;; (never ahead of what it reads), returning how many it wrote. Its input is
;; `TextEncoder.encodeInto` of a string whose every code unit is below 256:
;; a byte below 0x80 is a character; 0xC2 or 0xC3 starts a two-byte one whose
;; code is (lead & 3) << 6 | (next & 0x3F), which is what storing the low
;; eight bits of lead << 6 | (next & 0x3F) gives. Assembled by
;; `cargo xtask package` (wasm-opt -Oz) into latin1_wasm.js.
(module
  (import "latin1" "memory" (memory 0))
  (func (export "collapse") (param $length i32) (result i32)
    (local $read i32) (local $written i32) (local $byte i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $read) (local.get $length)))
        (local.set $byte (i32.load8_u (local.get $read)))
        (if (i32.ge_u (local.get $byte) (i32.const 0x80))
          (then
            (local.set $read (i32.add (local.get $read) (i32.const 1)))
            (local.set $byte
              (i32.or
                (i32.shl (local.get $byte) (i32.const 6))
                (i32.and (i32.load8_u (local.get $read)) (i32.const 0x3f))))))
        (i32.store8 (local.get $written) (local.get $byte))
        (local.set $read (i32.add (local.get $read) (i32.const 1)))
        (local.set $written (i32.add (local.get $written) (i32.const 1)))
        (br $next)))
    (local.get $written)))
