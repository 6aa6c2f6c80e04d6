;; Turns the core's string literal back into the wasm's bytes, in the
;; imported memory: `unpack(length)` reads `length` bytes from address 256
;; and writes the wasm from address 256 (never ahead of what it reads),
;; returning how many bytes it wrote. Addresses 0-255 hold its byte map.
;;
;; 1. The input is `TextEncoder.encodeInto` of the literal, whose every code
;;    unit is below 256: a byte below 0x80 is a character; 0xC2 or 0xC3
;;    starts a two-byte one whose code is (lead & 3) << 6 | (next & 0x3F),
;;    which is what storing the low eight bits of lead << 6 | (next & 0x3F)
;;    gives. It folds each character to one byte in place.
;; 2. The first byte is a count n, then come n pairs of byte values that
;;    traded places (xtask/src/literal.rs chooses them): each following byte
;;    is mapped back through the swap.
;;
;; Assembled by `cargo xtask package` (wasm-opt -Oz) into unpack_wasm.js.
(module
  (import "unpack" "memory" (memory 0))
  (func (export "unpack") (param $length i32) (result i32)
    (local $read i32) (local $written i32) (local $byte i32) (local $end i32)
    (local.set $end (i32.add (i32.const 256) (local.get $length)))
    (local.set $read (i32.const 256))
    (local.set $written (i32.const 256))
    (block $folded
      (loop $fold
        (br_if $folded (i32.ge_u (local.get $read) (local.get $end)))
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
        (br $fold)))
    (local.set $end (local.get $written))
    ;; The identity map at 0-255, then the trades.
    (local.set $byte (i32.const 0))
    (loop $identity
      (i32.store8 (local.get $byte) (local.get $byte))
      (local.set $byte (i32.add (local.get $byte) (i32.const 1)))
      (br_if $identity (i32.lt_u (local.get $byte) (i32.const 256))))
    (local.set $read (i32.const 257))
    (local.set $written
      (i32.add (i32.const 257) (i32.shl (i32.load8_u (i32.const 256)) (i32.const 1))))
    (block $traded
      (loop $trade
        (br_if $traded (i32.ge_u (local.get $read) (local.get $written)))
        (i32.store8 (i32.load8_u (local.get $read)) (i32.load8_u offset=1 (local.get $read)))
        (i32.store8 (i32.load8_u offset=1 (local.get $read)) (i32.load8_u (local.get $read)))
        (local.set $read (i32.add (local.get $read) (i32.const 2)))
        (br $trade)))
    ;; The wasm: each byte after the header through the map, from 256 on.
    (local.set $written (i32.const 256))
    (block $mapped
      (loop $map
        (br_if $mapped (i32.ge_u (local.get $read) (local.get $end)))
        (i32.store8 (local.get $written) (i32.load8_u (i32.load8_u (local.get $read))))
        (local.set $read (i32.add (local.get $read) (i32.const 1)))
        (local.set $written (i32.add (local.get $written) (i32.const 1)))
        (br $map)))
    (i32.sub (local.get $written) (i32.const 256))))
