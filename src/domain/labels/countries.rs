//! The postal countries a UPU S10 number may end with. An S10 number names the post that
//! issued it; a code outside this list is a misread (or a private number that only looks like
//! S10), so it is refused rather than shown as a post that does not exist.

/// The 191 ISO 3166 alpha-2 codes that jkeen/tracking_number_data `couriers/s10.json` (commit
/// b79ce4b, "Courier" lookup, generated from the UPU member list by `utils/gen_s10_countries.py`)
/// accepts, sorted for binary search.
const UPU_COUNTRIES: &str = "AE AF AG AL AM AO AR AT AU AZ BA BB BD BE BF BG BH BI BJ BN BO BR \
BS BT BW BY BZ CA CD CF CG CH CI CL CM CN CO CR CU CV CY CZ DE DJ DK DM DO DZ EC EE EG ER ES ET FI \
FJ FR GA GB GD GE GH GM GN GQ GR GT GW GY HK HN HR HT HU ID IE IL IN IQ IR IS IT JM JO JP KE KG KH \
KI KM KN KP KR KW KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MG MK ML MM MN MR MT MU MV MW MX \
MY MZ NA NE NG NI NL NO NP NR NZ OM PA PE PG PH PK PL PT PY QA RO RS RU RW SA SB SC SD SE SG SI SK \
SL SM SN SO SR SS ST SV SY SZ TD TG TH TJ TL TM TN TO TR TT TV TZ UA UG US UY UZ VA VC VE VN VU WS \
YE ZA ZM ZW";

/// Whether `code` (two upper-case letters) is a postal country S10 numbers are issued under.
pub fn is_upu_country(code: &[u8; 2]) -> bool {
    // Each entry is two letters and a space, so the list is searched as fixed-width records.
    let records = UPU_COUNTRIES.as_bytes();
    let count = records.len().div_ceil(3);
    let (mut low, mut high) = (0, count);
    while low < high {
        let middle = (low + high) / 2;
        let entry = &records[middle * 3..middle * 3 + 2];
        match entry.cmp(code.as_slice()) {
            std::cmp::Ordering::Equal => return true,
            std::cmp::Ordering::Less => low = middle + 1,
            std::cmp::Ordering::Greater => high = middle,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_country_list_is_sorted_fixed_width_and_complete() {
        let codes: Vec<&str> = UPU_COUNTRIES.split(' ').collect();
        assert_eq!(codes.len(), 191);
        assert!(codes.iter().all(|code| code.len() == 2));
        assert!(codes.windows(2).all(|pair| pair[0] < pair[1]));
        for code in &codes {
            let bytes = code.as_bytes();
            assert!(is_upu_country(&[bytes[0], bytes[1]]), "{code}");
        }
        for absent in [b"XX", b"AA", b"ZZ", b"UK"] {
            assert!(!is_upu_country(absent));
        }
    }
}
