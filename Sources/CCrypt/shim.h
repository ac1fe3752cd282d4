// Debian's libxcrypt (package libcrypt-dev): crypt_rn(3), for verifying `{CRYPT}` values in the SHA-crypt
// formats `$5$` and `$6$` imported from OpenLDAP.
#include <crypt.h>
