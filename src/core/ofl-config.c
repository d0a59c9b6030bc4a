/* ofl-config.c */

#include "config.h"

#include <glib.h>
