/* ofl-api-types.c */

#include "config.h"

#include <glib.h>
