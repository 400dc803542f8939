#ifndef FIHRIS_CZSTD_SHIM_H
#define FIHRIS_CZSTD_SHIM_H
/* Zstandard (Debian's libzstd-dev, BSD): stored documents are compressed with it, each on
   its own with a dictionary trained on the index's first documents (ZstdCodec). */
#include <zstd.h>
#include <zdict.h>
#endif
