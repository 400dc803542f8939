#ifndef FIHRIS_CLMDB_SHIM_H
#define FIHRIS_CLMDB_SHIM_H
#include <lmdb.h>
#endif
