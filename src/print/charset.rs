//! The characters a printer can print. Receipt printers print one byte per character from a
//! code page; the PDF's standard fonts use WinAnsi. Text is first mapped to what the target
//! has, so the layout measures exactly what prints: a letter the page lacks becomes a readable
//! ASCII stand-in ("Łódź" -> "Lodz", "€" -> "EUR"), never silently nothing.

use std::borrow::Cow;

/// ESC/POS code page PC858 (Western Europe with €), selected with `ESC t 19`: it has every
/// Spanish, Portuguese, French and German letter. Bytes 0x80-0xFF, in order.
pub const PC858_SELECT: u8 = 19;
const PC858_HIGH: [char; 128] = [
    'Ç', 'ü', 'é', 'â', 'ä', 'à', 'å', 'ç', 'ê', 'ë', 'è', 'ï', 'î', 'ì', 'Ä', 'Å', 'É', 'æ', 'Æ',
    'ô', 'ö', 'ò', 'û', 'ù', 'ÿ', 'Ö', 'Ü', 'ø', '£', 'Ø', '×', 'ƒ', 'á', 'í', 'ó', 'ú', 'ñ', 'Ñ',
    'ª', 'º', '¿', '®', '¬', '½', '¼', '¡', '«', '»', '░', '▒', '▓', '│', '┤', 'Á', 'Â', 'À', '©',
    '╣', '║', '╗', '╝', '¢', '¥', '┐', '└', '┴', '┬', '├', '─', '┼', 'ã', 'Ã', '╚', '╔', '╩', '╦',
    '╠', '═', '╬', '¤', 'ð', 'Ð', 'Ê', 'Ë', 'È', '€', 'Í', 'Î', 'Ï', '┘', '┌', '█', '▄', '¦', 'Ì',
    '▀', 'Ó', 'ß', 'Ô', 'Ò', 'õ', 'Õ', 'µ', 'þ', 'Þ', 'Ú', 'Û', 'Ù', 'ý', 'Ý', '¯', '´', '\u{ad}',
    '±', '‗', '¾', '¶', '§', '÷', '¸', '°', '¨', '·', '¹', '³', '²', '■', '\u{a0}',
];

/// WinAnsi bytes 0x80-0x9F (the rest of 0xA0-0xFF is Latin-1 as is); `None` where unused.
const WIN_ANSI_80: [Option<char>; 32] = [
    Some('€'),
    None,
    Some('‚'),
    Some('ƒ'),
    Some('„'),
    Some('…'),
    Some('†'),
    Some('‡'),
    Some('ˆ'),
    Some('‰'),
    Some('Š'),
    Some('‹'),
    Some('Œ'),
    None,
    Some('Ž'),
    None,
    None,
    Some('‘'),
    Some('’'),
    Some('“'),
    Some('”'),
    Some('•'),
    Some('–'),
    Some('—'),
    Some('˜'),
    Some('™'),
    Some('š'),
    Some('›'),
    Some('œ'),
    None,
    Some('ž'),
    Some('Ÿ'),
];

/// A character set a printer prints in, one byte a character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    /// ESC/POS code page PC858.
    Pc858,
    /// PDF standard fonts with WinAnsiEncoding.
    WinAnsi,
}

impl Charset {
    /// The byte for a character, if this set has it.
    pub fn byte(self, character: char) -> Option<u8> {
        if (' '..='~').contains(&character) {
            return u8::try_from(character).ok();
        }
        let position = match self {
            Charset::Pc858 => PC858_HIGH.iter().position(|c| *c == character),
            Charset::WinAnsi => match character {
                '\u{a0}'..='\u{ff}' => return u8::try_from(u32::from(character)).ok(),
                _ => WIN_ANSI_80.iter().position(|c| *c == Some(character)),
            },
        };
        position.and_then(|index| u8::try_from(0x80 + index).ok())
    }

    /// The text with every character this set lacks replaced by a readable stand-in, and
    /// control characters (which would be printer commands) by a space or `?`.
    pub fn printable<'a>(self, text: &'a str) -> Cow<'a, str> {
        if text.chars().all(|c| self.byte(c).is_some()) {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        for character in text.chars() {
            if self.byte(character).is_some() {
                out.push(character);
                continue;
            }
            // Stand-ins are plain ASCII, which every set has.
            out.push_str(ascii_stand_in(character));
        }
        Cow::Owned(out)
    }

    /// The text as bytes of this set; the text should have passed through [`Self::printable`].
    pub fn encode(self, text: &str) -> Vec<u8> {
        text.chars().map(|c| self.byte(c).unwrap_or(b'?')).collect()
    }
}

/// What to print for a character the printer lacks: a look-alike in ASCII, or `?`.
fn ascii_stand_in(character: char) -> &'static str {
    match character {
        '\t' | '\n' | '\r' | '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' => " ",
        // A combining accent after its letter: the letter alone still reads.
        '\u{300}'..='\u{36f}' => "",
        '‘' | '’' | '‚' | '′' | '´' | '`' => "'",
        '“' | '”' | '„' | '″' | '«' | '»' => "\"",
        '‐' | '‑' | '‒' | '–' | '—' | '−' => "-",
        '…' => "...",
        '•' | '·' => "*",
        '€' => "EUR",
        '£' => "GBP",
        '™' => "TM",
        '©' => "(c)",
        '®' => "(R)",
        '№' => "No",
        'ß' => "ss",
        'Æ' => "AE",
        'æ' => "ae",
        'Œ' => "OE",
        'œ' => "oe",
        'Ł' => "L",
        'ł' => "l",
        'Đ' | 'Ð' => "D",
        'đ' | 'ð' => "d",
        'ı' => "i",
        'İ' => "I",
        'Ø' => "O",
        'ø' => "o",
        _ => latin_base(character),
    }
}

/// The base letter of a Latin letter with a diacritic, for the common Central European ones.
fn latin_base(character: char) -> &'static str {
    const TABLE: [(&str, &str); 14] = [
        ("ÀÁÂÃÄÅĀĂĄ", "A"),
        ("àáâãäåāăą", "a"),
        ("ÇĆĈĊČ", "C"),
        ("çćĉċč", "c"),
        ("ÈÉÊËĒĔĖĘĚ", "E"),
        ("èéêëēĕėęě", "e"),
        ("ÌÍÎÏĨĪĮ", "I"),
        ("ìíîïĩīį", "i"),
        ("ÑŃŅŇ", "N"),
        ("ñńņň", "n"),
        ("ÒÓÔÕÖŌŐ", "O"),
        ("òóôõöōő", "o"),
        ("ÙÚÛÜŨŪŮŰŲ", "U"),
        ("ùúûüũūůűų", "u"),
    ];
    const MORE: [(&str, &str); 12] = [
        ("ŚŜŞŠȘ", "S"),
        ("śŝşšș", "s"),
        ("ŹŻŽ", "Z"),
        ("źżž", "z"),
        ("ŢŤȚ", "T"),
        ("ţťț", "t"),
        ("ŔŘ", "R"),
        ("ŕř", "r"),
        ("ĞĢ", "G"),
        ("ğģ", "g"),
        ("ÝŸ", "Y"),
        ("ýÿ", "y"),
    ];
    TABLE
        .iter()
        .chain(MORE.iter())
        .find(|(letters, _)| letters.contains(character))
        .map_or("?", |(_, base)| base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spanish_letters_have_their_own_bytes_in_pc858() {
        let expected = [
            ('á', 0xA0),
            ('é', 0x82),
            ('í', 0xA1),
            ('ó', 0xA2),
            ('ú', 0xA3),
            ('ñ', 0xA4),
            ('Ñ', 0xA5),
            ('¿', 0xA8),
            ('¡', 0xAD),
            ('ü', 0x81),
            ('€', 0xD5),
        ];
        for (letter, byte) in expected {
            assert_eq!(Charset::Pc858.byte(letter), Some(byte), "{letter}");
        }
        assert_eq!(Charset::Pc858.printable("¿Año?"), "¿Año?");
    }

    #[test]
    fn what_a_set_lacks_becomes_a_readable_stand_in() {
        assert_eq!(Charset::Pc858.printable("Łódź – “ok”…"), "Lódz - \"ok\"...");
        assert_eq!(Charset::WinAnsi.printable("Łódź"), "Lódz");
        assert_eq!(Charset::Pc858.printable("a\u{1b}@b\nc"), "a?@b c");
        assert_eq!(Charset::Pc858.printable("東京"), "??");
        assert_eq!(Charset::WinAnsi.encode("€ñ"), vec![0x80, 0xF1]);
    }
}
