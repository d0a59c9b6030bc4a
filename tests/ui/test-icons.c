/* test-icons.c: every icon name the app uses resolves in the icon theme of
 * the stack under test (Adwaita, plus the app's own resource icons), and
 * none to the missing-image icon. Adwaita 48 dropped emblem-ok-symbolic
 * and moved others to legacy names; this catches the next one. */

#include "config.h"

#include "ofl-ui-test.h"

/* Icon names as the sources spell them: "…-symbolic" strings in C and
 * <property name="icon-name">…</property> in templates. */
static void
collect_names (const char *dir,
               GHashTable *names)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  g_autoptr(GRegex) quoted = g_regex_new ("[\">]([a-z0-9-]+-symbolic)[\"<]", 0, 0, NULL);
  const char *entry;

  g_assert_nonnull (listing);
  while ((entry = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, entry, NULL);
      g_autofree char *text = NULL;
      g_autoptr(GMatchInfo) match = NULL;

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          collect_names (path, names);
          continue;
        }
      if (!g_str_has_suffix (entry, ".c") && !g_str_has_suffix (entry, ".ui"))
        continue;

      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      for (g_regex_match (quoted, text, 0, &match); g_match_info_matches (match); g_match_info_next (match, NULL))
        g_hash_table_add (names, g_match_info_fetch (match, 1));
    }
}

static void
test_every_icon_resolves (void)
{
  const char *source_dir = g_getenv ("ONEFLOW_LINK_SOURCE_DIR");
  g_autofree char *src = g_build_filename (source_dir, "src", NULL);
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  OflWindow *window = ofl_ui_test_new_window ();
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (window)));
  g_autoptr(GString) missing = g_string_new (NULL);
  GHashTableIter iter;
  const char *name;

  g_assert_nonnull (source_dir);
  collect_names (src, names);
  g_hash_table_add (names, g_strdup (APP_ID));
  g_hash_table_add (names, g_strdup (APP_ID "-symbolic"));
  /* The scan itself works: the app uses more than a dozen icons. */
  g_assert_cmpuint (g_hash_table_size (names), >, 12);
  g_test_message ("icon theme %s, %u names", gtk_icon_theme_get_theme_name (theme), g_hash_table_size (names));

  g_hash_table_iter_init (&iter, names);
  while (g_hash_table_iter_next (&iter, (gpointer *) &name, NULL))
    {
      g_autoptr(GtkIconPaintable) icon = NULL;
      g_autofree char *found = NULL;

      icon = gtk_icon_theme_lookup_icon (theme, name, NULL, 16, 1, GTK_TEXT_DIR_LTR, 0);
      found = g_strdup (gtk_icon_paintable_get_icon_name (icon));
      if (!gtk_icon_theme_has_icon (theme, name) || g_strcmp0 (found, "image-missing") == 0)
        g_string_append_printf (missing, "  %s (found: %s)\n", name, found);
    }

  if (missing->len > 0)
    g_error ("Icons the theme does not have:\n%s", missing->str);

  ofl_ui_test_close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  ofl_ui_test_init (&argc, &argv);

  g_test_add_func ("/icons/every-icon-resolves", test_every_icon_resolves);

  return g_test_run ();
}
