/* ofl-cli.h: the headless verbs of oneflow-link (--link, --list, --check, --unlink) */
#pragma once

#include <gio/gio.h>

#include "ofl-links.h"

G_BEGIN_DECLS

/* Exit codes, documented in --help and the README. */
typedef enum {
  OFL_EXIT_OK = 0,
  OFL_EXIT_USAGE = 1,
  OFL_EXIT_REJECTED = 2,
  OFL_EXIT_TEMPORARY = 3,
  OFL_EXIT_KEYRING = 4,
  OFL_EXIT_SECURITY = 5,
  OFL_EXIT_NOTHING = 6,
} OflExitCode;

void ofl_cli_add_options          (GApplication *application);
/* Returns an exit code, or -1 to go on and open the window. Each verb
 * is a short call into @links, the application's link service. */
int  ofl_cli_handle_local_options (GApplication *application,
                                   OflLinks     *links,
                                   GVariantDict *options);

G_END_DECLS
