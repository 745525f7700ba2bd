//! The message files, one per screen or area, compiled in. Adding a file: put it under both
//! `assets/locales/en/` and `assets/locales/es/` and add one line here; the parity tests then
//! hold it to the same messages and placeholders in every language.

use super::Lang;

pub struct MessageFile {
    pub name: &'static str,
    en: &'static str,
    es: &'static str,
}

impl MessageFile {
    pub fn source(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Es => self.es,
        }
    }
}

macro_rules! message_file {
    ($name:literal) => {
        MessageFile {
            name: $name,
            en: include_str!(concat!("../../assets/locales/en/", $name, ".ftl")),
            es: include_str!(concat!("../../assets/locales/es/", $name, ".ftl")),
        }
    };
}

pub const FILES: &[MessageFile] = &[
    message_file!("common"),
    message_file!("slips"),
    message_file!("printing"),
    message_file!("flow-list"),
    message_file!("delivery"),
    message_file!("pickup"),
    message_file!("drop-off"),
    message_file!("driver-pickup"),
    message_file!("local-delivery"),
    message_file!("damaged"),
    message_file!("outgoing-order"),
    message_file!("handshake"),
    message_file!("signin"),
    message_file!("home"),
    message_file!("search"),
    message_file!("ledger"),
    message_file!("desk"),
    message_file!("status"),
    message_file!("app"),
    message_file!("link"),
    message_file!("report"),
    message_file!("errors"),
    message_file!("reasons"),
];
