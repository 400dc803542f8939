#include "fihris_icu.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>
#include <unicode/uversion.h>

struct FihrisWordBreaker {
    UBreakIterator *iterator;
    UText *text;
    int32_t current;
};

FihrisWordBreaker *fihris_wordbreaker_open(int32_t *error) {
    UErrorCode status = U_ZERO_ERROR;
    FihrisWordBreaker *breaker = calloc(1, sizeof(FihrisWordBreaker));
    if (breaker == NULL) {
        *error = U_MEMORY_ALLOCATION_ERROR;
        return NULL;
    }
    breaker->iterator = ubrk_open(UBRK_WORD, "", NULL, 0, &status);
    if (U_FAILURE(status)) {
        free(breaker);
        *error = status;
        return NULL;
    }
    *error = U_ZERO_ERROR;
    return breaker;
}

void fihris_wordbreaker_close(FihrisWordBreaker *breaker) {
    if (breaker == NULL) return;
    if (breaker->iterator != NULL) ubrk_close(breaker->iterator);
    if (breaker->text != NULL) utext_close(breaker->text);
    free(breaker);
}

int32_t fihris_wordbreaker_set_utf8(FihrisWordBreaker *breaker, const char *text, int64_t length) {
    UErrorCode status = U_ZERO_ERROR;
    /* utext_openUTF8 reuses the UText when given one, so no allocation per document. */
    breaker->text = utext_openUTF8(breaker->text, text, length, &status);
    if (U_FAILURE(status)) return status;
    ubrk_setUText(breaker->iterator, breaker->text, &status);
    if (U_FAILURE(status)) return status;
    breaker->current = ubrk_first(breaker->iterator);
    return status;
}

int32_t fihris_wordbreaker_next_word(FihrisWordBreaker *breaker, int64_t *start, int64_t *end, int32_t *ruleStatus) {
    for (;;) {
        int32_t next = ubrk_next(breaker->iterator);
        if (next == UBRK_DONE) return 0;
        int32_t status = ubrk_getRuleStatus(breaker->iterator);
        int32_t begin = breaker->current;
        breaker->current = next;
        if (status >= UBRK_WORD_NONE_LIMIT) {
            *start = begin;
            *end = next;
            *ruleStatus = status;
            return 1;
        }
    }
}

int32_t fihris_nfkc_casefold_utf8(const char *source, int32_t length,
                                  char *destination, int32_t capacity, int32_t *error) {
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *normalizer = unorm2_getNFKCCasefoldInstance(&status);
    if (U_FAILURE(status)) { *error = status; return -1; }

    UChar stackInput[256], stackOutput[512];
    UChar *input = stackInput, *output = stackOutput;
    int32_t inputCapacity = 256, outputCapacity = 512;
    int32_t result = -1;

    /* UTF-8 never needs more UTF-16 units than it has bytes. */
    if (length > inputCapacity) {
        inputCapacity = length;
        input = malloc(sizeof(UChar) * (size_t)inputCapacity);
        if (input == NULL) { *error = U_MEMORY_ALLOCATION_ERROR; return -1; }
    }
    int32_t inputLength = 0;
    u_strFromUTF8WithSub(input, inputCapacity, &inputLength, source, length, 0xFFFD, NULL, &status);
    if (U_FAILURE(status)) goto done;

    /* NFKC_Casefold can expand (e.g. ligatures); retry once with the exact size. */
    int32_t outputLength = unorm2_normalize(normalizer, input, inputLength, output, outputCapacity, &status);
    if (status == U_BUFFER_OVERFLOW_ERROR) {
        status = U_ZERO_ERROR;
        outputCapacity = outputLength;
        output = malloc(sizeof(UChar) * (size_t)outputCapacity);
        if (output == NULL) { status = U_MEMORY_ALLOCATION_ERROR; goto done; }
        outputLength = unorm2_normalize(normalizer, input, inputLength, output, outputCapacity, &status);
    }
    if (U_FAILURE(status)) goto done;

    /* Accent folding: decompose, drop combining diacritical marks U+0300-U+036F (Latin,
       Greek, Cyrillic accents; never Arabic or Indic marks), recompose. Only when needed. */
    int hasAccents = 0;
    for (int32_t k = 0; k < outputLength && !hasAccents; k++) {
        UChar c = output[k];
        hasAccents = (c >= 0x00C0 && c <= 0x024F) || (c >= 0x0300 && c <= 0x036F) || (c >= 0x1E00 && c <= 0x1EFF)
                     || (c >= 0x0370 && c <= 0x03FF) || (c >= 0x0400 && c <= 0x04FF);
    }
    if (hasAccents) {
        const UNormalizer2 *nfd = unorm2_getNFDInstance(&status);
        const UNormalizer2 *nfc = unorm2_getNFCInstance(&status);
        if (U_FAILURE(status)) goto done;
        int32_t decomposedCapacity = outputLength * 4 + 16;
        UChar *decomposed = malloc(sizeof(UChar) * (size_t)decomposedCapacity);
        if (decomposed == NULL) { status = U_MEMORY_ALLOCATION_ERROR; goto done; }
        int32_t decomposedLength = unorm2_normalize(nfd, output, outputLength, decomposed, decomposedCapacity, &status);
        if (U_FAILURE(status)) { free(decomposed); goto done; }
        int32_t kept = 0;
        for (int32_t k = 0; k < decomposedLength; k++) {
            if (decomposed[k] < 0x0300 || decomposed[k] > 0x036F) decomposed[kept++] = decomposed[k];
        }
        /* Recomposition never lengthens the text, so it fits in the output buffer. */
        outputLength = unorm2_normalize(nfc, decomposed, kept, output, outputCapacity, &status);
        free(decomposed);
        if (U_FAILURE(status)) goto done;
    }

    int32_t utf8Length = 0;
    u_strToUTF8WithSub(destination, capacity, &utf8Length, output, outputLength, 0xFFFD, NULL, &status);
    if (status == U_BUFFER_OVERFLOW_ERROR || status == U_STRING_NOT_TERMINATED_WARNING) status = U_ZERO_ERROR;
    if (U_FAILURE(status)) goto done;
    result = utf8Length;

done:
    if (input != stackInput) free(input);
    if (output != stackOutput) free(output);
    *error = U_FAILURE(status) ? status : U_ZERO_ERROR;
    return result;
}

int32_t fihris_word_break_class(int32_t codepoint) {
    if (u_hasBinaryProperty((UChar32)codepoint, UCHAR_EXTENDED_PICTOGRAPHIC)) return 100;
    return u_getIntPropertyValue((UChar32)codepoint, UCHAR_WORD_BREAK);
}

const char *fihris_icu_error_name(int32_t error) {
    return u_errorName((UErrorCode)error);
}

const char *fihris_icu_version(void) {
    return U_ICU_VERSION;
}
