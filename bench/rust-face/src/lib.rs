//! The bench build of the Rust API: a counting allocator and the pipelined
//! echo, round trips and connect/echo/close cycles written against the Rust
//! API, exported for `bench/run.mjs`.

#![cfg(target_arch = "wasm32")]

use futures_util::StreamExt;
use steadysocket::core::machine::Notice;
use steadysocket::{Error, Events, Message, ReconnectEvent, ReconnectingSocket};
use wasm_bindgen::prelude::*;

#[global_allocator]
static ALLOCATOR: steadysocket::diagnostics::CountingAllocator =
    steadysocket::diagnostics::CountingAllocator;

#[wasm_bindgen]
extern "C" {
    /// `performance.now()`, in browsers and Node.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

/// The bench wasm's linear memory in bytes.
#[wasm_bindgen(js_name = wasmMemoryBytes)]
pub fn wasm_memory_bytes() -> f64 {
    (core::arch::wasm32::memory_size(0) * 65_536) as f64
}

/// Platform listeners the Rust API's sockets have attached now.
#[wasm_bindgen(js_name = liveRustListeners)]
pub fn live_rust_listeners() -> f64 {
    steadysocket::diagnostics::live_listeners() as f64
}

/// Bytes the Rust heap holds now (the counting allocator's tally).
#[wasm_bindgen(js_name = liveHeapBytes)]
pub fn live_heap_bytes() -> f64 {
    steadysocket::diagnostics::live_heap_bytes() as f64
}

fn js_error(error: Error) -> JsError {
    JsError::new(&error.to_string())
}

/// Waits for the next message, passing over lifecycle events; fails if the
/// socket closes first.
async fn next_message(events: &mut Events<ReconnectEvent>) -> Result<Message, JsError> {
    loop {
        match events.next().await {
            Some(ReconnectEvent::Message(message)) => return Ok(message),
            Some(ReconnectEvent::Lifecycle(Notice::Closed { close, .. })) => {
                return Err(JsError::new(&format!("closed with {}", close.code)))
            }
            Some(_) => {}
            None => return Err(JsError::new("the event stream ended")),
        }
    }
}

/// Opens a socket through `constructor` (the `ws` package's, say), or the
/// global `WebSocket` without one, and waits until it is open.
async fn open(
    url: &str,
    constructor: Option<js_sys::Function>,
) -> Result<(ReconnectingSocket, Events<ReconnectEvent>), JsError> {
    let mut builder = ReconnectingSocket::builder(url);
    if let Some(constructor) = constructor {
        builder = builder.constructor(constructor);
    }
    let socket = builder.connect().map_err(js_error)?;
    let mut events = socket.events();
    until_open(&mut events).await?;
    Ok((socket, events))
}

/// Waits for the open notice; fails if the socket closes first.
async fn until_open(events: &mut Events<ReconnectEvent>) -> Result<(), JsError> {
    loop {
        match events.next().await {
            Some(ReconnectEvent::Lifecycle(Notice::Open { .. })) => return Ok(()),
            Some(ReconnectEvent::Lifecycle(Notice::Closed { close, .. })) => {
                return Err(JsError::new(&format!("could not open: {}", close.code)))
            }
            Some(_) => {}
            None => return Err(JsError::new("the event stream ended")),
        }
    }
}

/// Closes `socket` and waits until it is closed, so that the next run does
/// not pay for this one's closing handshake (as the JS kinds wait for their
/// close event: bench/echo-cases.mjs).
async fn close(socket: &ReconnectingSocket) -> Result<(), JsError> {
    socket.close(1000, "").map_err(js_error)?;
    socket.closed().await;
    Ok(())
}

/// The pipelined echo's message: `size` bytes of binary, or text of `x`s.
fn echo_message(size: u32, binary: bool) -> Message {
    if binary {
        Message::Binary(vec![7; size as usize])
    } else {
        Message::Text("x".repeat(size as usize))
    }
}

/// Milliseconds from the first send to the last of `count` echoes of a
/// `size`-byte message (text of `x`s, or binary), through the Rust API over
/// `constructor` (the global `WebSocket` when it is `undefined`).
#[wasm_bindgen]
pub async fn pipelined(
    url: String,
    count: u32,
    size: u32,
    binary: bool,
    constructor: Option<js_sys::Function>,
) -> Result<f64, JsError> {
    let (socket, mut events) = open(&url, constructor).await?;
    let message = echo_message(size, binary);
    let start = performance_now();
    for _ in 0..count {
        socket.send(&message).map_err(js_error)?;
    }
    for _ in 0..count {
        next_message(&mut events).await?;
    }
    let elapsed = performance_now() - start;
    close(&socket).await?;
    Ok(elapsed)
}

/// The times in ms of `rounds` sequential 64-byte echoes, sorted, over
/// `constructor` as in [`pipelined`].
#[wasm_bindgen(js_name = roundTrips)]
pub async fn round_trips(
    url: String,
    rounds: u32,
    constructor: Option<js_sys::Function>,
) -> Result<Vec<f64>, JsError> {
    let (socket, mut events) = open(&url, constructor).await?;
    let message = Message::Text("z".repeat(64));
    let mut times = Vec::with_capacity(rounds as usize);
    for _ in 0..rounds {
        let start = performance_now();
        socket.send(&message).map_err(js_error)?;
        next_message(&mut events).await?;
        times.push(performance_now() - start);
    }
    close(&socket).await?;
    times.sort_by(f64::total_cmp);
    Ok(times)
}

/// A promise and the function that resolves it, for a handler to settle.
fn settled_by_handler() -> (js_sys::Promise, js_sys::Function) {
    let mut resolve = None;
    let promise = js_sys::Promise::new(&mut |resolver, _| resolve = Some(resolver));
    let resolve = resolve.expect("the Promise constructor calls its executor at once");
    (promise, resolve)
}

/// [`pipelined`] with the echoes counted by an [`ReconnectingSocket::on_event`]
/// handler instead of a stream's reader (no executor turn per message).
#[wasm_bindgen(js_name = pipelinedByCallback)]
pub async fn pipelined_by_callback(
    url: String,
    count: u32,
    size: u32,
    binary: bool,
    constructor: Option<js_sys::Function>,
) -> Result<f64, JsError> {
    let (socket, events) = open(&url, constructor).await?;
    drop(events);
    let message = echo_message(size, binary);
    let (all_echoed, resolve) = settled_by_handler();
    let mut received = 0;
    let subscription = socket.on_event(move |event| match event {
        ReconnectEvent::Message(_) => {
            received += 1;
            if received == count {
                let _ = resolve.call0(&JsValue::UNDEFINED);
            }
        }
        ReconnectEvent::Lifecycle(Notice::Closed { close, .. }) => {
            let _ = resolve.call1(&JsValue::UNDEFINED, &close.code.into());
        }
        _ => {}
    });
    let start = performance_now();
    for _ in 0..count {
        socket.send(&message).map_err(js_error)?;
    }
    let closed = wasm_bindgen_futures::JsFuture::from(all_echoed).await;
    let elapsed = performance_now() - start;
    if let Ok(code) = closed {
        if !code.is_undefined() {
            return Err(JsError::new(&format!("closed with {code:?}")));
        }
    }
    drop(subscription);
    close(&socket).await?;
    Ok(elapsed)
}

/// [`round_trips`] with each echo taken by an [`ReconnectingSocket::on_event`]
/// handler, which sends the next message from inside its call.
#[wasm_bindgen(js_name = roundTripsByCallback)]
pub async fn round_trips_by_callback(
    url: String,
    rounds: u32,
    constructor: Option<js_sys::Function>,
) -> Result<Vec<f64>, JsError> {
    let (socket, events) = open(&url, constructor).await?;
    drop(events);
    let message = Message::Text("z".repeat(64));
    let times = std::rc::Rc::new(std::cell::RefCell::new(Vec::with_capacity(rounds as usize)));
    let (done, resolve) = settled_by_handler();
    let started = std::rc::Rc::new(std::cell::Cell::new(0.0));
    let subscription = {
        let (times, started, message, handle) = (
            times.clone(),
            started.clone(),
            message.clone(),
            socket.clone(),
        );
        socket.on_event(move |event| {
            if let ReconnectEvent::Message(_) = event {
                let mut times = times.borrow_mut();
                times.push(performance_now() - started.get());
                if times.len() as u32 == rounds {
                    let _ = resolve.call0(&JsValue::UNDEFINED);
                } else {
                    started.set(performance_now());
                    let _ = handle.send(&message);
                }
            }
        })
    };
    started.set(performance_now());
    socket.send(&message).map_err(js_error)?;
    wasm_bindgen_futures::JsFuture::from(done)
        .await
        .map_err(|_| JsError::new("the round trips failed"))?;
    drop(subscription);
    close(&socket).await?;
    let mut times = std::mem::take(&mut *times.borrow_mut());
    times.sort_by(f64::total_cmp);
    Ok(times)
}

/// `count` connect/echo/close cycles through the Rust API, one after another.
#[wasm_bindgen]
pub async fn cycles(url: String, count: u32) -> Result<(), JsError> {
    for _ in 0..count {
        let (socket, mut events) = open(&url, None).await?;
        socket
            .send(&Message::Text("ping".into()))
            .map_err(js_error)?;
        next_message(&mut events).await?;
        socket.close(1000, "").map_err(js_error)?;
        loop {
            match events.next().await {
                Some(ReconnectEvent::Lifecycle(Notice::Closed {
                    will_retry: false, ..
                })) => break,
                Some(_) => {}
                None => return Err(JsError::new("the event stream ended before the close")),
            }
        }
    }
    Ok(())
}

thread_local! {
    /// The idle sockets of [`open_idle`], kept open until [`close_idle`].
    static IDLE: std::cell::RefCell<Vec<ReconnectingSocket>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Opens `count` sockets through the Rust API, `batch` at a time, and keeps
/// them open and idle (with a heartbeat every `heartbeat_ms` when it is above
/// 0); resolves when all are open.
#[wasm_bindgen(js_name = openIdle)]
pub async fn open_idle(
    url: String,
    count: u32,
    batch: u32,
    heartbeat_ms: u32,
) -> Result<(), JsError> {
    let mut opened = 0;
    while opened < count {
        let size = batch.min(count - opened);
        let batch = (0..size).map(|_| open_quiet(&url, heartbeat_ms));
        for socket in futures_util::future::join_all(batch).await {
            let socket = socket?;
            IDLE.with(|idle| idle.borrow_mut().push(socket));
        }
        opened += size;
    }
    Ok(())
}

/// One socket opened with or without a heartbeat; its event stream is
/// dropped once it is open (nothing is kept but the handle).
async fn open_quiet(url: &str, heartbeat_ms: u32) -> Result<ReconnectingSocket, JsError> {
    let mut builder = ReconnectingSocket::builder(url);
    if heartbeat_ms > 0 {
        let heartbeat = steadysocket::Heartbeat {
            interval: core::time::Duration::from_millis(heartbeat_ms.into()),
            timeout: core::time::Duration::from_millis(heartbeat_ms.into()),
            ping: Message::Text("ping".into()),
        };
        builder = builder.heartbeat(heartbeat, |m| matches!(m, Message::Text(t) if t == "ping"));
    }
    let socket = builder.connect().map_err(js_error)?;
    until_open(&mut socket.events()).await?;
    Ok(socket)
}

/// Closes and drops the sockets of [`open_idle`].
#[wasm_bindgen(js_name = closeIdle)]
pub fn close_idle() {
    for socket in IDLE.with(|idle| std::mem::take(&mut *idle.borrow_mut())) {
        let _ = socket.close(1000, "");
    }
}
