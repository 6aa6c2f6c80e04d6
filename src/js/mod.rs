//! The JavaScript face exported with wasm-bindgen.
//!
//! A small class that forwards a [`Socket`]'s events to `on…` handlers. It is
//! what the demo page uses; the WebSocket-compatible class of the npm package
//! grows from it.

use crate::event::{Event, Message};
use crate::web::Socket;
use futures_core::Stream;
use js_sys::{Function, Object, Reflect, Uint8Array};
use std::cell::RefCell;
use std::future::poll_fn;
use std::pin::Pin;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

#[derive(Default)]
struct Handlers {
    open: Option<Function>,
    message: Option<Function>,
    error: Option<Function>,
    close: Option<Function>,
}

/// A WebSocket client with validated input and exact state tracking.
#[wasm_bindgen(js_name = SteadySocket)]
pub struct JsSocket {
    socket: Socket,
    handlers: Rc<RefCell<Handlers>>,
}

#[wasm_bindgen(js_class = SteadySocket)]
impl JsSocket {
    /// Connects to `url`, offering `protocols` (most preferred first).
    #[wasm_bindgen(constructor)]
    pub fn new(url: &str, protocols: Option<Vec<String>>) -> Result<JsSocket, JsError> {
        let socket = Socket::builder(url)
            .protocols(protocols.unwrap_or_default())
            .connect()
            .map_err(|error| JsError::new(&error.to_string()))?;
        let handlers = Rc::new(RefCell::new(Handlers::default()));
        let mut events = socket.events();
        let dispatch_to = handlers.clone();
        wasm_bindgen_futures::spawn_local(async move {
            while let Some(event) = poll_fn(|cx| Pin::new(&mut events).poll_next(cx)).await {
                dispatch(&dispatch_to, event);
            }
        });
        Ok(JsSocket { socket, handlers })
    }

    /// 0 CONNECTING, 1 OPEN, 2 CLOSING, 3 CLOSED.
    #[wasm_bindgen(getter = readyState)]
    pub fn ready_state(&self) -> u16 {
        self.socket.ready_state().as_platform()
    }

    /// The subprotocol the server chose, or `""`.
    #[wasm_bindgen(getter)]
    pub fn protocol(&self) -> String {
        self.socket.protocol().unwrap_or_default()
    }

    /// The validated URL.
    #[wasm_bindgen(getter)]
    pub fn url(&self) -> String {
        self.socket.url().to_owned()
    }

    /// Sends a string, an `ArrayBuffer` or a typed array view.
    pub fn send(&self, data: JsValue) -> Result<(), JsError> {
        let result = if let Some(text) = data.as_string() {
            self.socket.send_text(&text)
        } else if data.is_instance_of::<js_sys::ArrayBuffer>()
            || js_sys::ArrayBuffer::is_view(&data)
        {
            self.socket.send_binary(&Uint8Array::new(&data).to_vec())
        } else {
            return Err(JsError::new(
                "send() takes a string, an ArrayBuffer or a typed array view",
            ));
        };
        result.map_err(|error| JsError::new(&error.to_string()))
    }

    /// Closes with `code` (1000 or 3000–4999; default 1000) and `reason` (at most 123 UTF-8 bytes).
    pub fn close(&self, code: Option<u16>, reason: Option<String>) -> Result<(), JsError> {
        self.socket
            .close(code.unwrap_or(1000), reason.as_deref().unwrap_or(""))
            .map_err(|error| JsError::new(&error.to_string()))
    }

    /// Called with `{ type: "open", protocol }`.
    #[wasm_bindgen(setter)]
    pub fn set_onopen(&self, handler: Option<Function>) {
        self.handlers.borrow_mut().open = handler;
    }

    /// Called with `{ type: "message", data }` (a string or an `ArrayBuffer`).
    #[wasm_bindgen(setter)]
    pub fn set_onmessage(&self, handler: Option<Function>) {
        self.handlers.borrow_mut().message = handler;
    }

    /// Called with `{ type: "error" }`.
    #[wasm_bindgen(setter)]
    pub fn set_onerror(&self, handler: Option<Function>) {
        self.handlers.borrow_mut().error = handler;
    }

    /// Called with `{ type: "close", code, reason, wasClean }`.
    #[wasm_bindgen(setter)]
    pub fn set_onclose(&self, handler: Option<Function>) {
        self.handlers.borrow_mut().close = handler;
    }
}

fn dispatch(handlers: &RefCell<Handlers>, event: Event) {
    let fields: Vec<(&str, JsValue)> = match &event {
        Event::Open { protocol } => vec![(
            "protocol",
            JsValue::from_str(protocol.as_deref().unwrap_or("")),
        )],
        Event::Message(Message::Text(text)) => vec![("data", JsValue::from_str(text))],
        Event::Message(Message::Binary(bytes)) => {
            vec![("data", Uint8Array::from(bytes.as_slice()).buffer().into())]
        }
        Event::Error => vec![],
        Event::Closed {
            code,
            reason,
            was_clean,
        } => vec![
            ("code", JsValue::from(*code)),
            ("reason", JsValue::from_str(reason)),
            ("wasClean", JsValue::from(*was_clean)),
        ],
    };
    let (kind, handler) = {
        let handlers = handlers.borrow();
        match event {
            Event::Open { .. } => ("open", handlers.open.clone()),
            Event::Message(_) => ("message", handlers.message.clone()),
            Event::Error => ("error", handlers.error.clone()),
            Event::Closed { .. } => ("close", handlers.close.clone()),
        }
    };
    let Some(handler) = handler else { return };
    let object = Object::new();
    let _ = Reflect::set(&object, &"type".into(), &kind.into());
    for (name, value) in fields {
        let _ = Reflect::set(&object, &name.into(), &value);
    }
    // An exception in the user's handler must not stop the dispatch loop.
    let _ = handler.call1(&JsValue::UNDEFINED, &object);
}
