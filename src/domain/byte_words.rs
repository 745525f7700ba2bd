//! Looking for a few byte values eight bytes at a time, in one 64-bit word (the zero-byte tests
//! of Hacker's Delight, 6-1). The export and the chain check look through a million short
//! stored texts for a quote, a backslash, a comma or a control character; a byte at a time that
//! was a tenth of the export's work.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The high bit of every byte of `word` equal to `byte`. Exact for the lowest marked byte: a
/// borrow can mark a byte above a true one, never one below, so the lowest mark (all the
/// callers use) and whether there is any are right.
#[inline]
pub fn equal_to(word: u64, byte: u8) -> u64 {
    let differences = word ^ (ONES * u64::from(byte));
    differences.wrapping_sub(ONES) & !differences & HIGHS
}

/// The high bit of every byte of `word` below `limit` (at most 0x80), exact as [`equal_to`].
#[inline]
pub fn below(word: u64, limit: u8) -> u64 {
    debug_assert!(limit <= 0x80);
    word.wrapping_sub(ONES * u64::from(limit)) & !word & HIGHS
}

/// Eight bytes as a little-endian word (the slice must be eight long).
#[inline]
pub fn word_of(eight: &[u8]) -> u64 {
    let mut word = [0; 8];
    word.copy_from_slice(eight);
    u64::from_le_bytes(word)
}

/// Where the first byte that `marks` marks is in `bytes`. `marks` takes eight bytes as a
/// little-endian word and returns the high bit of each byte it looks for, exact at the lowest
/// (as [`equal_to`] and [`below`] do); a text shorter than eight bytes is padded with `pad`,
/// which `marks` must not mark.
#[inline]
pub fn first_marked(bytes: &[u8], pad: u8, marks: impl Fn(u64) -> u64) -> Option<usize> {
    let at_lowest = |found: u64| (found.trailing_zeros() / 8) as usize;
    if bytes.len() < 8 {
        let mut word = [pad; 8];
        for (place, byte) in word.iter_mut().zip(bytes) {
            *place = *byte;
        }
        let found = marks(u64::from_le_bytes(word));
        return (found != 0).then(|| at_lowest(found));
    }
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for eight in &mut words {
        let found = marks(word_of(eight));
        if found != 0 {
            return Some(at + at_lowest(found));
        }
        at += 8;
    }
    let left = words.remainder().len();
    if left == 0 {
        return None;
    }
    // The last eight bytes, of which the first `8 - left` were looked at already (and marked
    // nothing, so they lend no borrow to the ones after them).
    let last = bytes.len() - 8;
    let found = marks(word_of(bytes.get(last..)?)) & (!0_u64 << (8 * (8 - left)));
    (found != 0).then(|| last + at_lowest(found))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn stops(word: u64) -> u64 {
        equal_to(word, b'"') | equal_to(word, b'\\') | below(word, 0x20)
    }

    proptest! {
        /// The same answer as looking one byte at a time, for every length and position.
        #[test]
        fn the_first_marked_byte_is_the_first_one(
            bytes in proptest::collection::vec(
                prop_oneof![
                    Just(b'"'), Just(b'\\'), Just(0_u8), Just(0x1f), Just(0x20), Just(b'a'),
                    Just(0xff), Just(0x80), any::<u8>()
                ],
                0..40,
            ),
        ) {
            let wanted = bytes.iter().position(|byte| matches!(byte, b'"' | b'\\' | 0..=0x1f));
            prop_assert_eq!(first_marked(&bytes, b'a', stops), wanted);
            let comma = bytes.iter().position(|byte| *byte == b',');
            prop_assert_eq!(first_marked(&bytes, b'a', |word| equal_to(word, b',')), comma);
        }
    }

    #[test]
    fn a_borrow_never_hides_the_lowest_byte() {
        // 0x00 then 0x01: the borrow from the zero marks the one above it as well, but the
        // lowest mark is the zero's.
        assert_eq!(first_marked(b"ab\x00\x01cdefgh", b'a', stops), Some(2));
        assert_eq!(first_marked(b"abcdefgh\"", b'a', stops), Some(8));
        assert_eq!(first_marked(b"abcdefghijk", b'a', stops), None);
        assert_eq!(first_marked(b"", b'a', stops), None);
    }
}
