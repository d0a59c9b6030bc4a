/* ofl-details.h: what links.json holds, apart from the file
 *
 * The pure half of the details file: its key for a link, reading its
 * text and writing it. The store does the file itself.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* links.json never grows anywhere near this: a file larger than this is
 * damaged, and reads as empty rather than filling the memory. */
#define OFL_DETAILS_MAX_SIZE (16 * 1024 * 1024)

char       *ofl_details_key       (const char *email,
                                   const char *account_id,
                                   const char *api_url);
GHashTable *ofl_details_parse     (const char *data,
                                   gsize       length);
char       *ofl_details_serialize (GHashTable *entries,
                                   gsize      *length);

G_END_DECLS
