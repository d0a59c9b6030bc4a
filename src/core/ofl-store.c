/* ofl-store.c: filled in by issue 2/7 */

#include "config.h"

#include <glib.h>
