/* ofl-store-private.h: what only the store's own files and the tests see
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ofl-store.h"

G_BEGIN_DECLS

struct _OflStore
{
  GObject  parent_instance;

  char    *details_path;
  guint    timeout_seconds;
  /* Serialises read-modify-write of links.json between worker threads. */
  GMutex   details_mutex;
};

/* The schema: name "org.example.OneflowLink", attributes email
 * (lower-case), account-id and api-url. */
const SecretSchema *ofl_store_get_schema           (void);

/* A store whose details are in @path rather than the XDG data dir. */
OflStore           *ofl_store_new_for_details_path (const char *path);

/* Each operation's keyring calls are given up after this long (default
 * 60 s, long enough to type a keyring password into an unlock prompt)
 * and reported as OFL_ERROR_KEYRING. */
void                ofl_store_set_timeout          (OflStore   *self,
                                                    guint       seconds);

G_END_DECLS
