/* ofl-json.h: JSON from outside the process, parsed only when it is safe
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The deepest nesting anything Oneflow Link reads ever needs. */
#define OFL_JSON_MAX_DEPTH 32

/* Why a text was refused, for a message that says so. */
typedef enum {
  OFL_JSON_PROBLEM_NONE,
  OFL_JSON_PROBLEM_INVALID,   /* not UTF-8, a NUL, or not JSON at all */
  OFL_JSON_PROBLEM_COMMENT,
  OFL_JSON_PROBLEM_TOO_DEEP,  /* nested deeper than OFL_JSON_MAX_DEPTH */
  OFL_JSON_PROBLEM_NUMBER,    /* an integer beyond int64 */
} OflJsonProblem;

JsonNode *ofl_json_parse      (const char     *data,
                               gsize           length);
/* As ofl_json_parse(), and says why a text was refused (may be NULL). */
JsonNode *ofl_json_parse_full (const char     *data,
                               gsize           length,
                               OflJsonProblem *problem);

/* The string member @member of @object, or NULL if it is missing or not a
 * string: JSON from outside may have any type anywhere. */
const char *ofl_json_get_string (JsonObject *object,
                                 const char *member);

G_END_DECLS
