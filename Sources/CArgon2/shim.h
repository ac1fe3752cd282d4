// Debian's libargon2 (package libargon2-dev): the reference implementation of Argon2 (RFC 9106), the library
// OpenLDAP's argon2 password module links to.
#include <argon2.h>
