/* fuzz-parsers.c: every response parser over untrusted bytes
 *
 * The first byte picks the parser (its two low bits), so one corpus covers
 * all endpoints. With its high bit set, the second byte asks for the rest
 * to be wrapped in up to 306,001 levels of nesting (arrays, or objects
 * with 0x20), behind a comment full of closing brackets with 0x40: the
 * shapes that overflowed json-glib's stack (issue 18, item 1). Such a body
 * is always refused.
 */

#include "config.h"

#include <string.h>

#include "ofl-api-types.h"
#include "ofl-json.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

#define NEST      0x80
#define DISGUISE  0x40
#define OBJECTS   0x20

/* The body wrapped as asked: "{"count": 1, "data": /​* ]]] *​/ [[[ body ]]]}". */
static GString *
wrap (const char *body,
      gsize       length,
      guint       levels,
      gboolean    disguise,
      gboolean    objects)
{
  GString *text = g_string_sized_new (length + levels * 6 + 64);

  g_string_append (text, "{\"count\": 1, \"data\": ");
  if (disguise)
    {
      g_string_append (text, "/* ");
      for (guint i = 0; i < levels; i++)
        g_string_append_c (text, objects ? '}' : ']');
      g_string_append (text, " */ ");
    }
  for (guint i = 0; i < levels; i++)
    g_string_append (text, objects ? "{\"a\":" : "[");
  g_string_append_len (text, body, length);
  for (guint i = 0; i < levels; i++)
    g_string_append_c (text, objects ? '}' : ']');
  g_string_append_c (text, '}');
  return text;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GString) wrapped = NULL;
  gboolean too_deep = FALSE;
  const char *body;
  gsize length;

  if (size < 1)
    return 0;

  body = (const char *) data + 1;
  length = size - 1;

  if ((data[0] & NEST) && size >= 2)
    {
      guint levels = 1 + data[1] * 1200u;

      wrapped = wrap ((const char *) data + 2, size - 2, levels,
                      (data[0] & DISGUISE) != 0, (data[0] & OBJECTS) != 0);
      body = wrapped->str;
      length = wrapped->len;
      /* The outer object and the levels: past the limit whatever the body. */
      too_deep = levels + 1 > OFL_JSON_MAX_DEPTH || (data[0] & DISGUISE) != 0;
    }

  switch (data[0] % 4)
    {
    case 0:
      {
        g_autoptr(OflAccount) account = ofl_parse_account (body, length, NULL);
        if (account != NULL)
          g_assert (account->id != NULL && account->name != NULL && !too_deep);
      }
      break;
    case 1:
      {
        g_autoptr(OflPage) page = ofl_parse_user_page (body, length, NULL);
        g_assert (page == NULL || !too_deep);
        for (guint i = 0; page != NULL && i < page->items->len; i++)
          {
            OflUser *user = g_ptr_array_index (page->items, i);
            g_assert (user->email != NULL && strlen (user->email) <= OFL_API_MAX_TEXT_LENGTH);
          }
      }
      break;
    case 2:
      {
        g_autoptr(OflPage) page = ofl_parse_workspace_page (body, length, NULL);
        g_assert (page == NULL || !too_deep);
        for (guint i = 0; page != NULL && i < page->items->len; i++)
          {
            OflWorkspace *workspace = g_ptr_array_index (page->items, i);
            g_assert (workspace->name != NULL && workspace->permissions != NULL);
            g_assert (g_strv_length (workspace->permissions) <= OFL_API_MAX_PERMISSIONS);
          }
      }
      break;
    default:
      {
        g_autoptr(OflProblem) problem = ofl_parse_problem (body, length);
        g_assert (problem == NULL || !too_deep);
      }
      break;
    }

  return 0;
}
