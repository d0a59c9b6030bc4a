/* ofl-keyring-list.h: the items of a schema in the keyring, and whether
 * the keyring is locked
 *
 * Internal to the store (ofl-store*.c). Neither ever prompts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsecret/secret.h>

G_BEGIN_DECLS

/* A GList of SecretRetrievable. */
typedef GList OflKeyringItems;

void      ofl_keyring_items_free      (GList               *items);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OflKeyringItems, ofl_keyring_items_free)

/* Items of @schema with @attributes (NULL: all of them), locked ones too,
 * without unlocking. Cancelling gives no error of its own: the caller's
 * guard reports it. */
void      ofl_keyring_search_async    (const SecretSchema  *schema,
                                       GHashTable          *attributes,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
/* A GList of SecretRetrievable (free with ofl_keyring_items_free ()), or
 * NULL with @error set; NULL without an error is no item. */
GList    *ofl_keyring_search_finish   (GAsyncResult        *result,
                                       GError             **error);

/* Whether one of @items is locked, or was found locked. */
gboolean  ofl_keyring_items_any_locked (GList              *items);

/* Whether @error says an item went away while it was being read. */
gboolean  ofl_keyring_error_is_gone   (const GError        *error);

/* Whether the collection links are saved in is locked; any trouble
 * asking (a cancelling too) reads as "not locked". */
void      ofl_keyring_locked_async    (GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean  ofl_keyring_locked_finish   (GAsyncResult        *result);

G_END_DECLS
