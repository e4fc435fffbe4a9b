// libxlsxwriter's public header (Debian's libxlsxwriter-dev): the workbook writer behind
// `--xlsx`. Only the Workbook target includes it.
#include <xlsxwriter.h>
