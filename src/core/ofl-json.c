/* ofl-json.c: JSON from outside the process, parsed only when it is safe
 *
 * Server responses and links.json both come from outside: json-glib
 * recurses once per level of nesting, so a deep enough input overflows the
 * stack. The depth is measured before json-glib sees the text. json-glib
 * also skips C comments, which strict JSON does not have; a scan that
 * skipped them the same way would have to match json-glib's scanner in
 * every detail, so text with a comment is simply not JSON here.
 *
 * json-glib also reads an integer beyond int64 without complaint, wrapped
 * (18446744073709551615 becomes -1), so such a number makes the text
 * unreadable here too: an id must never silently become another one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "ofl-json.h"

/* Whether the number at @data[*i] (outside a string) is one json-glib reads
 * exactly: a fraction or an exponent makes a double, which never wraps; an
 * integer must fit in int64. Leaves *i on the number's last character. */
static gboolean
is_exact_number (const char *data,
                 gsize       length,
                 gsize      *i)
{
  gsize start = *i, end = start;
  gboolean integer = TRUE;
  char text[32];

  while (end < length && (g_ascii_isdigit (data[end]) ||
                           (data[end] != '\0' && strchr ("+-.eE", data[end]) != NULL)))
    {
      if (data[end] == '.' || data[end] == 'e' || data[end] == 'E')
        integer = FALSE;
      end++;
    }
  *i = end - 1;

  if (!integer)
    return TRUE;
  /* int64 has at most 19 digits and a sign: anything longer is out. */
  if (end - start >= sizeof text)
    return FALSE;
  memcpy (text, data + start, end - start);
  text[end - start] = '\0';
  return g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, NULL, NULL);
}

/* Whether @data is within OFL_JSON_MAX_DEPTH, holds no comment and no
 * integer beyond int64; if not, *@why says which. Strings are skipped as
 * JSON defines them, so brackets and digits inside them do not count. */
static gboolean
is_shallow_strict_json (const char     *data,
                        gsize           length,
                        OflJsonProblem *why)
{
  guint depth = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '/')
        {
          *why = OFL_JSON_PROBLEM_COMMENT;
          return FALSE;
        }
      else if (c == '{' || c == '[')
        {
          if (++depth > OFL_JSON_MAX_DEPTH)
            {
              *why = OFL_JSON_PROBLEM_TOO_DEEP;
              return FALSE;
            }
        }
      else if ((c == '}' || c == ']') && depth > 0)
        depth--;
      else if ((c == '-' || g_ascii_isdigit (c)) && !is_exact_number (data, length, &i))
        {
          *why = OFL_JSON_PROBLEM_NUMBER;
          return FALSE;
        }
    }

  return TRUE;
}

JsonNode *
ofl_json_parse_full (const char     *data,
                     gsize           length,
                     OflJsonProblem *problem)
{
  g_autoptr(JsonParser) parser = NULL;
  OflJsonProblem why = OFL_JSON_PROBLEM_INVALID;
  JsonNode *root = NULL;

  if (data != NULL && length > 0 && length <= G_MAXSSIZE &&
      g_utf8_validate_len (data, length, NULL) &&
      is_shallow_strict_json (data, length, &why))
    {
      /* Not json_parser_new_immutable (): json-glib 1.10 asserts in
       * json_parser_get_root () on a number followed by more text, when the
       * parser is immutable (found by the fuzzer on Debian 13). */
      parser = json_parser_new ();
      if (json_parser_load_from_data (parser, data, (gssize) length, NULL))
        root = json_parser_get_root (parser);
    }

  if (problem != NULL)
    *problem = root != NULL ? OFL_JSON_PROBLEM_NONE : why;
  return root != NULL ? json_node_ref (root) : NULL;
}

/* Returns the root of @data (a new reference), or NULL if it is not UTF-8,
 * holds a NUL or a comment, nests too deep, has an integer beyond int64,
 * or does not parse. */
JsonNode *
ofl_json_parse (const char *data,
                gsize       length)
{
  return ofl_json_parse_full (data, length, NULL);
}

const char *
ofl_json_get_string (JsonObject *object,
                     const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}
