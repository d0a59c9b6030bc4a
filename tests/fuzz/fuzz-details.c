/* fuzz-details.c: the details-file reader over untrusted bytes
 *
 * links.json is written by the app, but anything may have left anything
 * there: it must read as entries the store can use, or as none, and what
 * the store writes back must read as the same entries.
 */

#include "config.h"

#include "ofl-details.h"
#include "ofl-link.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GHashTable) entries = ofl_details_parse ((const char *) data, size);
  g_autoptr(GHashTable) again = NULL;
  g_autofree char *text = NULL;
  GHashTableIter iter;
  gpointer value;
  gsize length;

  g_hash_table_iter_init (&iter, entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      g_autoptr(OflLink) link = ofl_link_new ("anna@example.com", "1001", "https://api.example.com/v1");

      g_assert (JSON_NODE_HOLDS_OBJECT (value));
      /* What listing does with an entry. */
      ofl_link_apply_json (link, json_node_get_object (value));
    }

  text = ofl_details_serialize (entries, &length);
  again = ofl_details_parse (text, length);
  g_assert_cmpuint (g_hash_table_size (again), ==, g_hash_table_size (entries));

  return 0;
}
