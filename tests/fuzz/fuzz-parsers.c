/* fuzz-parsers.c: every response parser over untrusted bytes
 *
 * The first byte picks the parser, so one corpus covers all endpoints.
 */

#include "config.h"

#include "ofl-api-types.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  const char *body;
  gsize length;

  if (size < 1)
    return 0;

  body = (const char *) data + 1;
  length = size - 1;

  switch (data[0] % 4)
    {
    case 0:
      {
        g_autoptr(OflAccount) account = ofl_parse_account (body, length, NULL);
        if (account != NULL)
          g_assert (account->id != NULL && account->name != NULL);
      }
      break;
    case 1:
      {
        g_autoptr(OflPage) page = ofl_parse_user_page (body, length, NULL);
        for (guint i = 0; page != NULL && i < page->items->len; i++)
          {
            OflUser *user = g_ptr_array_index (page->items, i);
            g_assert (user->email != NULL);
          }
      }
      break;
    case 2:
      {
        g_autoptr(OflPage) page = ofl_parse_workspace_page (body, length, NULL);
        for (guint i = 0; page != NULL && i < page->items->len; i++)
          {
            OflWorkspace *workspace = g_ptr_array_index (page->items, i);
            g_assert (workspace->name != NULL && workspace->permissions != NULL);
          }
      }
      break;
    default:
      {
        g_autoptr(OflProblem) problem = ofl_parse_problem (body, length);
        (void) problem;
      }
      break;
    }

  return 0;
}
