//! Reusable pieces of the counter screens.

pub mod qr;
