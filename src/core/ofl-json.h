/* ofl-json.h: JSON from outside the process, parsed only when it is safe
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The deepest nesting anything Oneflow Link reads ever needs. */
#define OFL_JSON_MAX_DEPTH 32

JsonNode *ofl_json_parse (const char *data,
                          gsize       length);

G_END_DECLS
