/* ofl-json.c: JSON from outside the process, parsed only when it is safe
 *
 * Server responses and links.json both come from outside: json-glib
 * recurses once per level of nesting, so a deep enough input overflows the
 * stack. The depth is measured before json-glib sees the text. json-glib
 * also skips C comments, which strict JSON does not have; a scan that
 * skipped them the same way would have to match json-glib's scanner in
 * every detail, so text with a comment is simply not JSON here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ofl-json.h"

/* Whether @data is within OFL_JSON_MAX_DEPTH and holds no comment. Strings
 * are skipped as JSON defines them, so brackets inside them do not count. */
static gboolean
is_shallow_strict_json (const char *data,
                        gsize       length)
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
        return FALSE;
      else if (c == '{' || c == '[')
        {
          if (++depth > OFL_JSON_MAX_DEPTH)
            return FALSE;
        }
      else if ((c == '}' || c == ']') && depth > 0)
        depth--;
    }

  return TRUE;
}

/* Returns the root of @data (a new reference), or NULL if it is not UTF-8,
 * holds a NUL or a comment, nests too deep, or does not parse. */
JsonNode *
ofl_json_parse (const char *data,
                gsize       length)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  if (data == NULL || length == 0 || length > G_MAXSSIZE ||
      !g_utf8_validate_len (data, length, NULL) ||
      !is_shallow_strict_json (data, length))
    return NULL;

  /* Not json_parser_new_immutable (): json-glib 1.10 asserts in
   * json_parser_get_root () on a number followed by more text, when the
   * parser is immutable (found by the fuzzer on Debian 13). */
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, NULL))
    return NULL;

  root = json_parser_get_root (parser);
  return root != NULL ? json_node_ref (root) : NULL;
}
