#ifndef FIHRIS_CLIBXML2_SHIM_H
#define FIHRIS_CLIBXML2_SHIM_H
/* libxml2's HTML and XML parsers (Debian's libxml2-dev), for the HTML and EPUB readers
   of Sources/Fihris/Ingest. Only the parsers and the tree are used. */
#include <libxml/xmlversion.h>
/* Debian's libxml2 is built with ICU, and its encoding.h then includes <unicode/ucnv.h>:
   a Swift module that saw those headers and Foundation's own ICU copy would not compile
   (the same clash CICUShim avoids). Nothing here uses the ICU converter fields that this
   changes (xmlCharEncodingHandler's), only the parsers and the tree, so ICU stays out. */
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

/* Silences libxml2's default error printer (errors are read from the parser instead). */
static void fihris_xml_ignore_error(void *context, const char *message, ...) { (void)context; (void)message; }
static inline void fihris_xml_quiet(void) {
    xmlSetGenericErrorFunc(NULL, fihris_xml_ignore_error);
    xmlSetStructuredErrorFunc(NULL, NULL);
}
/* xmlFree is a global function pointer, which Swift 6 refuses to read without isolation. */
static inline void fihris_xml_free(void *pointer) { xmlFree(pointer); }
#endif
