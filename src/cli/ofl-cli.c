/* ofl-cli.c: the headless verbs (issue 2/7 fills these in) */

#include "config.h"

#include <glib/gi18n.h>

#include "ofl-cli.h"

void
ofl_cli_add_options (GApplication *application)
{
}

int
ofl_cli_handle_local_options (GApplication *application,
                              GVariantDict *options)
{
  return -1;
}
