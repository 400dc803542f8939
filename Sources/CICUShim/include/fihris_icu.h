#ifndef FIHRIS_ICU_SHIM_H
#define FIHRIS_ICU_SHIM_H

/*
 * A narrow C interface over ICU. ICU renames its symbols per version (ubrk_open ->
 * ubrk_open_72) and Foundation on Linux ships its own ICU headers, so no Swift module may
 * see the system ICU headers. This header exposes only opaque types and int32_t codes;
 * only fihris_icu.c includes ICU.
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// An ICU word break iterator (UAX #29) reading UTF-8 text in place.
typedef struct FihrisWordBreaker FihrisWordBreaker;

/// Creates a root-locale word break iterator. On failure returns NULL and sets *error
/// to the ICU error code (> 0).
FihrisWordBreaker *fihris_wordbreaker_open(int32_t *error);

/// Frees the iterator. NULL is allowed.
void fihris_wordbreaker_close(FihrisWordBreaker *breaker);

/// Points the iterator at `length` bytes of UTF-8. The bytes must stay valid and
/// unchanged until the next call to this function or to close. Returns an ICU error
/// code (<= 0 on success).
int32_t fihris_wordbreaker_set_utf8(FihrisWordBreaker *breaker, const char *text, int64_t length);

/// Advances to the next word-like segment (letters, numbers, kana, ideographs; not
/// spaces or punctuation). Returns 1 and sets the byte range [*start, *end) and the
/// ICU rule status of the segment, or 0 when the text is exhausted.
int32_t fihris_wordbreaker_next_word(FihrisWordBreaker *breaker, int64_t *start, int64_t *end, int32_t *ruleStatus);

/// Applies Unicode NFKC_Casefold (NFKC, full case folding, removal of default-ignorable
/// code points such as ZWJ, ZWNJ and bidi controls) and then removes accents (combining
/// diacritical marks U+0300-U+036F after canonical decomposition) from UTF-8 input. Writes at most
/// `capacity` bytes to `destination` and returns the full length of the result in bytes;
/// when that exceeds `capacity` the caller retries with a larger buffer. Returns -1 and
/// sets *error on failure (invalid UTF-8 is replaced, not an error).
int32_t fihris_nfkc_casefold_utf8(const char *source, int32_t length,
                                  char *destination, int32_t capacity, int32_t *error);

/// The Unicode Word_Break property value of `codepoint` as ICU defines it (UWordBreakValues:
/// 0 Other, 1 ALetter, 2 Format, 3 Katakana, 4 MidLetter, 5 MidNum, 6 Numeric,
/// 7 ExtendNumLet, 8 CR, 9 Extend, 10 LF, 11 MidNumLet, 12 Newline, 13 Regional_Indicator,
/// 14 Hebrew_Letter, 15 Single_Quote, 16 Double_Quote, 17-20 emoji classes, 21 ZWJ,
/// 22 WSegSpace), or 100 when the code point is Extended_Pictographic.
int32_t fihris_word_break_class(int32_t codepoint);

/// ICU's name for an error code, e.g. "U_ILLEGAL_ARGUMENT_ERROR".
const char *fihris_icu_error_name(int32_t error);

/// The ICU version this shim was linked against, e.g. "72.1".
const char *fihris_icu_version(void);

#ifdef __cplusplus
}
#endif

#endif
