//! The URL and the subprotocols of a [`super::ReconnectingSocket`]: fixed, or
//! asked of a provider before every attempt, both at once (as the npm class
//! does with `Promise.all`).

use std::fmt::Display;
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::rc::Rc;
use std::task::Poll;

pub(super) type ProviderFuture<T> = Pin<Box<dyn Future<Output = Result<T, String>>>>;
type Provider<T> = Rc<dyn Fn() -> ProviderFuture<T>>;

/// A value, or a function asked for it before every attempt.
pub(super) enum Source<T> {
    Fixed(T),
    Provider(Provider<T>),
}

impl<T: Clone + 'static> Source<T> {
    pub(super) fn resolve(&self) -> ProviderFuture<T> {
        match self {
            Source::Fixed(value) => {
                let value = value.clone();
                Box::pin(async move { Ok(value) })
            }
            Source::Provider(provider) => provider(),
        }
    }
}

pub(super) fn provider<T, E, F, Fut>(provider: F) -> Source<T>
where
    F: Fn() -> Fut + 'static,
    Fut: Future<Output = Result<T, E>> + 'static,
    E: Display,
{
    Source::Provider(Rc::new(move || {
        let future = provider();
        Box::pin(async move { future.await.map_err(|error| error.to_string()) })
    }))
}

/// Waits for both futures, polling them together, so two providers are
/// asked at once and neither waits for the other.
pub(super) async fn both<A, B>(
    a: ProviderFuture<A>,
    b: ProviderFuture<B>,
) -> (Result<A, String>, Result<B, String>) {
    let (mut a, mut b) = (Some(a), Some(b));
    let (mut a_out, mut b_out) = (None, None);
    poll_fn(move |cx| {
        if let Some(future) = a.as_mut() {
            if let Poll::Ready(value) = future.as_mut().poll(cx) {
                a_out = Some(value);
                a = None;
            }
        }
        if let Some(future) = b.as_mut() {
            if let Poll::Ready(value) = future.as_mut().poll(cx) {
                b_out = Some(value);
                b = None;
            }
        }
        match (a_out.take(), b_out.take()) {
            (Some(a), Some(b)) => Poll::Ready((a, b)),
            (a_back, b_back) => {
                a_out = a_back;
                b_out = b_back;
                Poll::Pending
            }
        }
    })
    .await
}
