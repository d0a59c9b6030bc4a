/* ofl-client.c */

#include "config.h"

#include <glib.h>
