/* ofl-verifier.c */

#include "config.h"

#include <glib.h>
