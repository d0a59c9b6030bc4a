/* test-navigation.c: Next follows `complete`, Back keeps values, Cancel
 * discards; the token and email fields say what is wrong and are marked
 * invalid. */

#include "config.h"

#include "ofl-enable-page.h"
#include "ofl-ui-test.h"

static void
test_next_needs_complete (void)
{
  OflWindow *window = ofl_ui_test_new_window ();
  OflAssistant *assistant = ofl_ui_test_assistant (window);
  OflAssistantPage *enable = ofl_ui_test_page (window, OFL_PAGE_ENABLE);
  GtkCheckButton *done = ofl_ui_test_child (enable, OFL_TYPE_ENABLE_PAGE, "done_check");
  AdwWindowTitle *title = ofl_ui_test_child (enable, OFL_TYPE_ASSISTANT_PAGE, "window_title");

  g_assert_cmpstr (ofl_ui_test_view (window), ==, "welcome");
  ofl_ui_test_activate (window, "win.add-link");
  g_assert_cmpstr (ofl_ui_test_view (window), ==, "assistant");
  g_assert_cmpint (ofl_ui_test_current (assistant), ==, OFL_PAGE_ENABLE);
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, "Step 1 of 5");

  /* Focus lands on the first control of the page. */
  WAIT_UNTIL (gtk_widget_has_focus (GTK_WIDGET (done)));

  /* Not confirmed: Next is off, and pressing it anyway does nothing. */
  g_assert_false (ofl_assistant_page_get_complete (enable));
  g_assert_false (ofl_ui_test_next_enabled (window));
  gtk_widget_activate_action (GTK_WIDGET (assistant), "assistant.next", NULL);
  /* Next starts its work at once (busy), and a frame later shows it. */
  g_assert_false (ofl_ui_test_busy (assistant));
  ofl_ui_test_wait_frames (GTK_WIDGET (window), 1);
  g_assert_false (ofl_ui_test_busy (assistant));
  g_assert_cmpint (ofl_ui_test_current (assistant), ==, OFL_PAGE_ENABLE);

  gtk_check_button_set_active (done, TRUE);
  g_assert_true (ofl_ui_test_next_enabled (window));
  ofl_ui_test_activate (assistant, "assistant.next");
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_GENERATE);
  title = ofl_ui_test_child (ofl_ui_test_page (window, OFL_PAGE_GENERATE), OFL_TYPE_ASSISTANT_PAGE, "window_title");
  g_assert_cmpstr (adw_window_title_get_title (title), ==, "Generate Token");
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, "Step 2 of 5");

  /* Nothing to type on the generate page. */
  g_assert_true (ofl_ui_test_next_enabled (window));
  ofl_ui_test_activate (assistant, "assistant.next");
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_TOKEN);
  g_assert_false (ofl_ui_test_next_enabled (window));

  ofl_ui_test_close_window (window);
}

static void
test_enter_advances (void)
{
  OflWindow *window = ofl_ui_test_new_window ();
  OflAssistant *assistant = ofl_ui_test_assistant (window);
  GtkCheckButton *done = ofl_ui_test_child (ofl_ui_test_page (window, OFL_PAGE_ENABLE),
                                            OFL_TYPE_ENABLE_PAGE, "done_check");

  ofl_ui_test_activate (window, "win.add-link");
  WAIT_UNTIL (gtk_widget_has_focus (GTK_WIDGET (done)));

  /* Not complete: Enter is not taken. */
  g_assert_false (ofl_ui_test_press_enter (GTK_WIDGET (assistant)));
  g_assert_cmpint (ofl_ui_test_current (assistant), ==, OFL_PAGE_ENABLE);

  gtk_check_button_set_active (done, TRUE);
  g_assert_true (ofl_ui_test_press_enter (GTK_WIDGET (assistant)));
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_GENERATE);

  ofl_ui_test_close_window (window);
}

static void
test_back_keeps_values (void)
{
  OflWindow *window = ofl_ui_test_new_window ();
  OflAssistant *assistant = ofl_ui_test_assistant (window);
  OflAssistantPage *token = ofl_ui_test_page (window, OFL_PAGE_TOKEN);
  OflAssistantPage *email = ofl_ui_test_page (window, OFL_PAGE_EMAIL);
  GtkEditable *email_row = ofl_ui_test_child (email, OFL_TYPE_EMAIL_PAGE, "email_row");

  ofl_ui_test_fill (window, OFL_FAKE_TOKEN_ACME, "Anna@Example.com ");

  /* Back never applies, and keeps what was typed. */
  ofl_ui_test_go_back (window);
  g_assert_cmpint (ofl_ui_test_current (assistant), ==, OFL_PAGE_EMAIL);
  g_assert_cmpstr (gtk_editable_get_text (email_row), ==, "Anna@Example.com ");
  WAIT_UNTIL (gtk_widget_has_focus (GTK_WIDGET (email_row)) ||
              gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), GTK_WIDGET (email_row)));

  ofl_ui_test_go_back (window);
  g_assert_cmpint (ofl_ui_test_current (assistant), ==, OFL_PAGE_TOKEN);
  g_assert_cmpstr (ofl_token_page_get_text (OFL_TOKEN_PAGE (token)), ==, OFL_FAKE_TOKEN_ACME);

  ofl_ui_test_activate (assistant, "assistant.next");
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_EMAIL);
  ofl_ui_test_activate (assistant, "assistant.next");
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_CONNECT);

  /* The summary has the normalised email and only the token's end. */
  {
    AdwActionRow *email_summary = ofl_ui_test_child (ofl_ui_test_page (window, OFL_PAGE_CONNECT),
                                                     OFL_TYPE_CONNECT_PAGE, "email_summary_row");
    AdwActionRow *token_summary = ofl_ui_test_child (ofl_ui_test_page (window, OFL_PAGE_CONNECT),
                                                     OFL_TYPE_CONNECT_PAGE, "token_summary_row");

    g_assert_cmpstr (adw_action_row_get_subtitle (email_summary), ==, "anna@example.com");
    g_assert_true (g_str_has_suffix (adw_action_row_get_subtitle (token_summary), "a1b2"));
    g_assert_null (strstr (adw_action_row_get_subtitle (token_summary), "acme5b1c"));

    /* Each row goes back to its page to change it, with no complaint. */
    g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (email_summary), "property"));
    g_signal_emit_by_name (email_summary, "activated");
    WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_EMAIL);
    g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (email_row), "error"));
    g_assert_false (gtk_widget_has_css_class (ofl_ui_test_child (ofl_ui_test_page (window, OFL_PAGE_EMAIL),
                                                                 OFL_TYPE_EMAIL_PAGE, "message_label"), "error"));
    ofl_ui_test_activate (assistant, "assistant.next");
    WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_CONNECT);
    g_signal_emit_by_name (token_summary, "activated");
    WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_TOKEN);
    g_assert_cmpstr (ofl_token_page_get_text (OFL_TOKEN_PAGE (token)), ==, OFL_FAKE_TOKEN_ACME);
  }

  ofl_ui_test_close_window (window);
}

static void
test_cancel_discards (void)
{
  OflWindow *window = ofl_ui_test_new_window ();
  OflAssistant *assistant = ofl_ui_test_assistant (window);
  GtkEditable *token_row = ofl_ui_test_child (ofl_ui_test_page (window, OFL_PAGE_TOKEN),
                                              OFL_TYPE_TOKEN_PAGE, "token_row");
  GtkEditable *email_row = ofl_ui_test_child (ofl_ui_test_page (window, OFL_PAGE_EMAIL),
                                              OFL_TYPE_EMAIL_PAGE, "email_row");
  AdwAlertDialog *dialog;

  ofl_ui_test_fill (window, OFL_FAKE_TOKEN_ACME, OFL_FAKE_EMAIL_ANNA);

  /* Typed input: Cancel asks first; "Keep Editing" keeps everything. */
  ofl_ui_test_activate (assistant, "assistant.cancel");
  dialog = ofl_ui_test_find_dialog (window);
  g_assert_nonnull (dialog);
  ofl_ui_test_respond (dialog, "keep");
  WAIT_UNTIL (ofl_ui_test_find_dialog (window) == NULL);
  g_assert_cmpstr (ofl_ui_test_view (window), ==, "assistant");
  g_assert_cmpstr (ofl_token_page_get_text (OFL_TOKEN_PAGE (ofl_ui_test_page (window, OFL_PAGE_TOKEN))), ==,
                   OFL_FAKE_TOKEN_ACME);

  ofl_ui_test_activate (assistant, "assistant.cancel");
  dialog = ofl_ui_test_find_dialog (window);
  g_assert_nonnull (dialog);
  ofl_ui_test_respond (dialog, "discard");
  WAIT_UNTIL (ofl_ui_test_find_dialog (window) == NULL);

  g_assert_cmpstr (ofl_ui_test_view (window), ==, "welcome");
  g_assert_cmpstr (gtk_editable_get_text (token_row), ==, "");
  g_assert_cmpstr (gtk_editable_get_text (email_row), ==, "");
  g_assert_null (ofl_connect_page_get_link (OFL_CONNECT_PAGE (ofl_ui_test_page (window, OFL_PAGE_CONNECT))));

  /* Nothing typed: Cancel leaves at once. */
  ofl_ui_test_activate (window, "win.add-link");
  ofl_ui_test_activate (assistant, "assistant.cancel");
  g_assert_null (ofl_ui_test_find_dialog (window));
  g_assert_cmpstr (ofl_ui_test_view (window), ==, "welcome");

  ofl_ui_test_close_window (window);
}

static void
test_window_size_remembered (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("org.example.OneflowLink");
  OflWindow *window;
  int width, height;

  g_settings_set_int (settings, "window-width", 520);
  g_settings_set_int (settings, "window-height", 610);
  window = ofl_ui_test_new_window ();
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 520);
  g_assert_cmpint (height, ==, 610);

  gtk_window_set_default_size (GTK_WINDOW (window), 700, 650);
  ofl_ui_test_close_window (window);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 700);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 650);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
}

static GtkWindow *
find_toplevel (GType type)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      return l->data;

  return NULL;
}

static void
test_about_and_shortcuts (void)
{
  OflWindow *window = ofl_ui_test_new_window ();
  AdwDialog *about;
  GtkWindow *shortcuts;

  g_auto(GStrv) close_accels = gtk_application_get_accels_for_action (GTK_APPLICATION (ofl_ui_test_get_app ()), "window.close");
  g_auto(GStrv) quit_accels = gtk_application_get_accels_for_action (GTK_APPLICATION (ofl_ui_test_get_app ()), "app.quit");

  /* Ctrl+W closes the window, Ctrl+Q quits. */
  g_assert_true (g_strv_contains ((const char * const *) close_accels, "<Control>w"));
  g_assert_true (g_strv_contains ((const char * const *) quit_accels, "<Control>q"));

  g_action_group_activate_action (G_ACTION_GROUP (ofl_ui_test_get_app ()), "about", NULL);
  WAIT_UNTIL (ADW_IS_ABOUT_DIALOG (about = adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window))));
  g_assert_cmpstr (adw_about_dialog_get_application_name (ADW_ABOUT_DIALOG (about)), ==, "Oneflow Link");
  adw_dialog_force_close (about);

  /* The shortcuts window is made when asked for (Ctrl+?), not with the
   * main window. */
  {
    g_auto(GStrv) help_accels = gtk_application_get_accels_for_action (GTK_APPLICATION (ofl_ui_test_get_app ()),
                                                                      "win.show-help-overlay");
    g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

    g_assert_true (g_strv_contains ((const char * const *) help_accels, "<Control>question"));
    for (GList *l = toplevels; l; l = l->next)
      g_assert_false (GTK_IS_SHORTCUTS_WINDOW (l->data));
  }
  ofl_ui_test_activate (window, "win.show-help-overlay");
  if (adw_get_minor_version () >= 8)
    {
      /* libadwaita 1.8 on: the dialog, not the deprecated window. */
      AdwDialog *dialog;

      WAIT_UNTIL ((dialog = adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window))) != NULL);
      g_assert_cmpstr (G_OBJECT_TYPE_NAME (dialog), ==, "AdwShortcutsDialog");
      adw_dialog_force_close (dialog);
    }
  else
    {
      WAIT_UNTIL ((shortcuts = find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW)) != NULL);
      g_assert_true (gtk_window_get_transient_for (shortcuts) == GTK_WINDOW (window));
      gtk_window_destroy (shortcuts);
    }

  ofl_ui_test_close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(OflFakeServer) server = NULL;

  ofl_ui_test_init (&argc, &argv);
  server = ofl_ui_test_start_server (FALSE);

  g_test_add_func ("/navigation/next-needs-complete", test_next_needs_complete);
  g_test_add_func ("/navigation/enter-advances", test_enter_advances);
  g_test_add_func ("/navigation/back-keeps-values", test_back_keeps_values);
  g_test_add_func ("/navigation/cancel-discards", test_cancel_discards);
  g_test_add_func ("/window/size-remembered", test_window_size_remembered);
  g_test_add_func ("/window/about-and-shortcuts", test_about_and_shortcuts);

  return g_test_run ();
}
