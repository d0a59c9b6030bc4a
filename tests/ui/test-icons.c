/* test-icons.c: every icon name the app uses resolves in the icon theme of
 * the stack under test (Adwaita, plus the app's own resource icons), and
 * none to the missing-image icon. Adwaita 48 dropped emblem-ok-symbolic
 * and moved others to legacy names; this catches the next one. */

#include "config.h"

#include "ofl-ui-test.h"
#include "ofl-welcome-page.h"

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
  g_hash_table_add (names, g_strdup ("ofl-welcome-dark"));
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

/* The welcome page's picture follows the style: the app icon (a white
 * sheet) in light style, its dark drawing in dark style, switching while
 * the page is on screen. */
static void
test_welcome_picture_follows_style (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  OflWindow *window;
  GtkWidget *welcome;
  AdwStatusPage *status_page;
  GtkIconTheme *theme;
  g_autofree char *light_icon = NULL;

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  window = ofl_ui_test_new_window ();
  g_assert_cmpstr (ofl_ui_test_view (window), ==, "welcome");
  welcome = ofl_ui_test_child (window, OFL_TYPE_WINDOW, "welcome_page");
  status_page = ofl_ui_test_child (welcome, OFL_TYPE_WELCOME_PAGE, "status_page");
  theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (welcome));

  light_icon = g_strdup (adw_status_page_get_icon_name (status_page));
  g_assert_true (g_str_equal (light_icon, APP_ID) || g_str_equal (light_icon, BASE_APP_ID));

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  WAIT_UNTIL (g_strcmp0 (adw_status_page_get_icon_name (status_page), "ofl-welcome-dark") == 0);
  g_assert_true (gtk_icon_theme_has_icon (theme, "ofl-welcome-dark"));
  ofl_ui_test_close_window (window);

  /* A window opened in dark style starts with the dark picture. */
  window = ofl_ui_test_new_window ();
  welcome = ofl_ui_test_child (window, OFL_TYPE_WINDOW, "welcome_page");
  status_page = ofl_ui_test_child (welcome, OFL_TYPE_WELCOME_PAGE, "status_page");
  g_assert_cmpstr (adw_status_page_get_icon_name (status_page), ==, "ofl-welcome-dark");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  WAIT_UNTIL (g_strcmp0 (adw_status_page_get_icon_name (status_page), light_icon) == 0);
  ofl_ui_test_close_window (window);

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

int
main (int   argc,
      char *argv[])
{
  ofl_ui_test_init (&argc, &argv);

  g_test_add_func ("/icons/every-icon-resolves", test_every_icon_resolves);
  g_test_add_func ("/icons/welcome-picture-follows-style", test_welcome_picture_follows_style);

  return g_test_run ();
}
