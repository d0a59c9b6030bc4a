/* test-narrow.c: at 360 × 680 px, what a page is for is on screen without
 * scrolling: Start, the Enable tick box, the "shown only once" warning and
 * a failure's fixing button; the step moves under the header. */

#include "config.h"

#include "ofl-enable-page.h"
#include "ofl-generate-page.h"
#include "ofl-ui-test.h"
#include "ofl-welcome-page.h"

#define WIDTH  360
#define HEIGHT 680

static OflWindow *
narrow_window (void)
{
  OflWindow *window = ofl_window_new (GTK_APPLICATION (ofl_ui_test_get_app ()), ofl_application_get_links (ofl_ui_test_get_app ()));

  gtk_window_set_default_size (GTK_WINDOW (window), WIDTH, HEIGHT);
  gtk_window_present (GTK_WINDOW (window));
  WAIT_UNTIL (g_strcmp0 (ofl_ui_test_view (window), "loading") != 0);
  WAIT_UNTIL (gtk_widget_get_width (GTK_WIDGET (window)) > 0);
  g_test_message ("window %d x %d", gtk_widget_get_width (GTK_WIDGET (window)), gtk_widget_get_height (GTK_WIDGET (window)));

  return window;
}

/* Whether all of @widget shows inside the scrolled window around it (or
 * the window, if none), as the view is now, unscrolled. */
static gboolean
on_screen (GtkWidget *widget)
{
  GtkWidget *frame = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  graphene_rect_t bounds;

  if (frame == NULL)
    frame = GTK_WIDGET (gtk_widget_get_root (widget));

  if (!gtk_widget_get_mapped (widget) || !gtk_widget_compute_bounds (widget, frame, &bounds))
    return FALSE;

  return bounds.size.height > 0 &&
         bounds.origin.y >= 0 && bounds.origin.y + bounds.size.height <= gtk_widget_get_height (frame) &&
         bounds.origin.x >= 0 && bounds.origin.x + bounds.size.width <= gtk_widget_get_width (frame);
}

static void
test_welcome_start (void)
{
  OflWindow *window = narrow_window ();
  GtkWidget *start = ofl_ui_test_child (ofl_ui_test_child (window, OFL_TYPE_WINDOW, "welcome_page"),
                                        OFL_TYPE_WELCOME_PAGE, "start_button");

  g_assert_cmpstr (ofl_ui_test_view (window), ==, "welcome");
  WAIT_UNTIL (on_screen (start));

  ofl_ui_test_close_window (window);
}

static void
test_assistant_pages (void)
{
  OflWindow *window = narrow_window ();
  OflAssistant *assistant;
  OflAssistantPage *enable;
  GtkWidget *done;

  ofl_ui_test_activate (window, "win.add-link");
  assistant = ofl_ui_test_assistant (window);
  enable = ofl_ui_test_page (window, OFL_PAGE_ENABLE);
  done = ofl_ui_test_child (enable, OFL_TYPE_ENABLE_PAGE, "done_check");

  /* No room for a title between Cancel and Next: the step goes under. */
  WAIT_UNTIL (gtk_widget_get_visible (ofl_ui_test_child (enable, OFL_TYPE_ASSISTANT_PAGE, "step_caption")));
  g_assert_false (adw_header_bar_get_show_title (ofl_ui_test_child (enable, OFL_TYPE_ASSISTANT_PAGE, "header_bar")));

  WAIT_UNTIL (on_screen (done));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (done), TRUE);
  ofl_ui_test_activate (assistant, "assistant.next");
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_GENERATE);

  WAIT_UNTIL (on_screen (ofl_ui_test_child (ofl_ui_test_page (window, OFL_PAGE_GENERATE),
                                            OFL_TYPE_GENERATE_PAGE, "warning_box")));

  ofl_ui_test_close_window (window);
}

static void
test_failure_leads (void)
{
  g_autoptr(OflFakeServer) server = ofl_ui_test_start_server (FALSE);
  OflWindow *window = narrow_window ();
  OflConnectPage *connect;

  ofl_ui_test_fill (window, "zzzz5b1c2d3e4f5061728394a5b6c7d8e9f0a1b2", OFL_FAKE_EMAIL_ANNA);
  ofl_ui_test_connect (window);
  connect = OFL_CONNECT_PAGE (ofl_ui_test_page (window, OFL_PAGE_CONNECT));
  g_assert_error (ofl_connect_page_get_error (connect), OFL_ERROR, OFL_ERROR_TOKEN_REJECTED);

  WAIT_UNTIL (on_screen (ofl_ui_test_child (connect, OFL_TYPE_CONNECT_PAGE, "error_title")));
  WAIT_UNTIL (on_screen (ofl_ui_test_child (connect, OFL_TYPE_CONNECT_PAGE, "fix_button")));
  WAIT_UNTIL (on_screen (ofl_ui_test_child (connect, OFL_TYPE_CONNECT_PAGE, "copy_button")));

  ofl_ui_test_close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  ofl_ui_test_init (&argc, &argv);

  g_test_add_func ("/narrow/welcome-start", test_welcome_start);
  g_test_add_func ("/narrow/assistant-pages", test_assistant_pages);
  g_test_add_func ("/narrow/failure-leads", test_failure_leads);

  return g_test_run ();
}
