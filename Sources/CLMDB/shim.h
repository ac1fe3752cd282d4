// Debian's liblmdb (liblmdb-dev), seen from Swift as the CLMDB module.
#ifndef ANNUAIRE_CLMDB_SHIM_H
#define ANNUAIRE_CLMDB_SHIM_H

#include <lmdb.h>

#endif
