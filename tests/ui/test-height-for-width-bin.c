/* test-height-for-width-bin.c: OflHeightForWidthBin, in a real scrolled
 * window
 *
 * The bin exists so that nothing below it is asked for its width at a
 * given height (GTK 4.8 answers that for a wrapping label with a binary
 * search of layouts), and so that it centres a child shorter than the
 * page. A probe child records every way it is measured. */

#include "ofl-ui-test.h"
#include "ofl-height-for-width-bin.h"

#define PROBE_WIDTH 300
#define PROBE_HEIGHT 400
#define PROBE_MIN_WIDTH 100

/* A child that is height-for-width, like a box of wrapping labels. */
G_DECLARE_FINAL_TYPE (TestProbe, test_probe, TEST, PROBE, GtkWidget)

struct _TestProbe
{
  GtkWidget parent_instance;

  guint     n_width_for_height;
  guint     n_measures;
};

G_DEFINE_FINAL_TYPE (TestProbe, test_probe, GTK_TYPE_WIDGET)

static void
test_probe_measure (GtkWidget      *widget,
                    GtkOrientation  orientation,
                    int             for_size,
                    int            *minimum,
                    int            *natural,
                    int            *minimum_baseline,
                    int            *natural_baseline)
{
  TestProbe *self = TEST_PROBE (widget);

  self->n_measures++;
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      if (for_size >= 0)
        self->n_width_for_height++;
      *minimum = PROBE_MIN_WIDTH;
      *natural = PROBE_WIDTH;
    }
  else
    {
      /* Taller when narrower, as wrapped text is. */
      int width = for_size >= 0 ? for_size : PROBE_WIDTH;
      *minimum = *natural = PROBE_HEIGHT * PROBE_WIDTH / MAX (width, 1);
    }
}

static GtkSizeRequestMode
test_probe_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
test_probe_class_init (TestProbeClass *klass)
{
  GTK_WIDGET_CLASS (klass)->measure = test_probe_measure;
  GTK_WIDGET_CLASS (klass)->get_request_mode = test_probe_get_request_mode;
}

static void
test_probe_init (TestProbe *self)
{
}

typedef struct {
  GtkWindow       *window;
  GtkWidget       *scrolled;
  OflHeightForWidthBin *bin;
  TestProbe       *probe;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  GtkWidget *viewport = gtk_viewport_new (NULL, NULL);

  fixture->window = GTK_WINDOW (gtk_window_new ());
  fixture->scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (fixture->scrolled),
                                  GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  fixture->bin = OFL_HEIGHT_FOR_WIDTH_BIN (ofl_height_for_width_bin_new ());
  fixture->probe = g_object_new (test_probe_get_type (), NULL);

  ofl_height_for_width_bin_set_child (fixture->bin, GTK_WIDGET (fixture->probe));
  gtk_viewport_set_child (GTK_VIEWPORT (viewport), GTK_WIDGET (fixture->bin));
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (fixture->scrolled), viewport);
  gtk_window_set_child (fixture->window, fixture->scrolled);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
}

/* Shows the window at @width × @height and waits until it is laid out
 * at that size. */
static void
show_at (Fixture *fixture,
         int      width,
         int      height)
{
  gtk_window_set_default_size (fixture->window, width, height);
  gtk_window_present (fixture->window);
  WAIT_UNTIL (gtk_widget_get_width (fixture->scrolled) == width &&
              gtk_widget_get_height (fixture->scrolled) == height &&
              gtk_widget_get_height (GTK_WIDGET (fixture->probe)) > 0);
}

static void
test_never_width_for_height (Fixture       *fixture,
                             gconstpointer  data)
{
  int min_free, nat_free, min_tall, nat_tall;

  gtk_widget_measure (GTK_WIDGET (fixture->bin), GTK_ORIENTATION_HORIZONTAL, -1,
                      &min_free, &nat_free, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (fixture->bin), GTK_ORIENTATION_HORIZONTAL, 10000,
                      &min_tall, &nat_tall, NULL, NULL);
  g_assert_cmpint (min_tall, ==, min_free);
  g_assert_cmpint (nat_tall, ==, nat_free);
  g_assert_cmpint (min_free, ==, PROBE_MIN_WIDTH);
  g_assert_cmpint (nat_free, ==, PROBE_WIDTH);

  /* Laid out for real, twice, at sizes that make GTK align and scroll. */
  show_at (fixture, 600, 900);
  gtk_window_set_default_size (fixture->window, 500, 200);
  WAIT_UNTIL (gtk_widget_get_height (fixture->scrolled) == 200);

  g_assert_cmpuint (fixture->probe->n_measures, >, 0);
  g_assert_cmpuint (fixture->probe->n_width_for_height, ==, 0);
}

static void
test_centres_a_short_child (Fixture       *fixture,
                            gconstpointer  data)
{
  graphene_rect_t bounds;
  int page_height = 900;
  /* At 600 px wide the probe asks for 400 × 300 / 600 = 200 px. */
  int child_height = PROBE_HEIGHT * PROBE_WIDTH / 600;

  show_at (fixture, 600, page_height);

  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (fixture->probe),
                                            GTK_WIDGET (fixture->bin), &bounds));
  g_assert_cmpfloat (bounds.size.width, ==, 600);
  g_assert_cmpfloat (bounds.size.height, ==, child_height);
  g_assert_cmpfloat (bounds.origin.y, ==, (page_height - child_height) / 2);
}

static void
test_scrolls_a_tall_child (Fixture       *fixture,
                           gconstpointer  data)
{
  GtkAdjustment *vadjustment;
  graphene_rect_t bounds;
  /* At 200 px wide the probe asks for 400 × 300 / 200 = 600 px. */
  int child_height = PROBE_HEIGHT * PROBE_WIDTH / 200;

  show_at (fixture, 200, 300);

  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (fixture->probe),
                                            GTK_WIDGET (fixture->bin), &bounds));
  g_assert_cmpfloat (bounds.origin.y, ==, 0);
  g_assert_cmpfloat (bounds.size.height, ==, child_height);

  vadjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (fixture->scrolled));
  g_assert_cmpfloat (gtk_adjustment_get_upper (vadjustment), ==, child_height);
}

int
main (int   argc,
      char *argv[])
{
  ofl_ui_test_init (&argc, &argv);

  g_test_add ("/height-for-width-bin/never-width-for-height", Fixture, NULL,
              fixture_set_up, test_never_width_for_height, fixture_tear_down);
  g_test_add ("/height-for-width-bin/centres-a-short-child", Fixture, NULL,
              fixture_set_up, test_centres_a_short_child, fixture_tear_down);
  g_test_add ("/height-for-width-bin/scrolls-a-tall-child", Fixture, NULL,
              fixture_set_up, test_scrolls_a_tall_child, fixture_tear_down);

  return g_test_run ();
}
