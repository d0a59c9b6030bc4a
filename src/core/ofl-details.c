/* ofl-details.c: what links.json holds, apart from the file
 *
 * links.json comes from outside the process (anything may have written
 * it), so it goes through ofl_json_parse() like a server's answer: a
 * damaged file, however deep, reads as empty.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ofl-details.h"
#include "ofl-json.h"

#define DETAILS_VERSION 1

/* The key of a link: what the keyring's attributes say about it. */
char *
ofl_details_key (const char *email,
                 const char *account_id,
                 const char *api_url)
{
  g_autofree char *lower = g_ascii_strdown (email ? email : "", -1);

  return g_strjoin ("\n", lower, account_id ? account_id : "", api_url ? api_url : "", NULL);
}

/* Returns key → JsonNode (an object), never NULL. Whatever is not a
 * link entry is left out; a damaged text reads as no entries at all. */
GHashTable *
ofl_details_parse (const char *data,
                   gsize       length)
{
  GHashTable *entries = g_hash_table_new_full (g_str_hash, g_str_equal,
                                               g_free, (GDestroyNotify) json_node_unref);
  g_autoptr(JsonNode) root = NULL;
  JsonNode *links;
  JsonArray *array;

  if (length > OFL_DETAILS_MAX_SIZE)
    return entries;

  root = ofl_json_parse (data, length);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return entries;

  links = json_object_get_member (json_node_get_object (root), "links");
  if (links == NULL || !JSON_NODE_HOLDS_ARRAY (links))
    return entries;

  array = json_node_get_array (links);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object;
      const char *email;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);
      email = ofl_json_get_string (object, "email");
      if (email == NULL)
        continue;

      g_hash_table_replace (entries,
                            ofl_details_key (email,
                                             ofl_json_get_string (object, "account_id"),
                                             ofl_json_get_string (object, "api_url")),
                            json_node_copy (node));
    }

  return entries;
}

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The text of links.json for @entries (as ofl_details_parse() gives). */
char *
ofl_details_serialize (GHashTable *entries,
                       gsize      *length)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  /* A stable order keeps the file diffable. */
  g_hash_table_iter_init (&iter, entries);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, key);
  g_ptr_array_sort (keys, compare_keys);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, DETAILS_VERSION);
  json_builder_set_member_name (builder, "links");
  json_builder_begin_array (builder);
  for (guint i = 0; i < keys->len; i++)
    json_builder_add_value (builder, json_node_copy (g_hash_table_lookup (entries, keys->pdata[i])));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, length);
}
