// The whole C surface of Arsenal: GLPK's public header (Debian's libglpk-dev).
#include <glpk.h>
