/* ofl-scroll-column.c: the content of a page that scrolls vertically
 *
 * The child is measured height-for-width only, and centred vertically
 * when the page is taller than it. GTK 4.8 aligns a widget whose request
 * mode is not height-for-width (a box of clamps is one) by asking for its
 * width at the allocated height, and every wrapping label below answers
 * that with a binary search of text layouts, on every allocation: the
 * welcome page laid its sentences out some 150 times before its first
 * frame. Put the child here with valign "fill" and let this bin centre
 * it. */

#include "config.h"

#include "ofl-scroll-column.h"

struct _OflScrollColumn
{
  GtkWidget  parent_instance;

  GtkWidget *child;
};

static void ofl_scroll_column_buildable_init (GtkBuildableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OflScrollColumn, ofl_scroll_column, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDABLE,
                                                      ofl_scroll_column_buildable_init))

enum {
  PROP_0,
  PROP_CHILD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GtkBuildableIface *parent_buildable_iface;

static void
ofl_scroll_column_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  OflScrollColumn *self = OFL_SCROLL_COLUMN (widget);

  if (self->child == NULL || !gtk_widget_should_layout (self->child))
    return;

  /* The width does not depend on the height: the height scrolls. */
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    for_size = -1;

  gtk_widget_measure (self->child, orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

static void
ofl_scroll_column_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  OflScrollColumn *self = OFL_SCROLL_COLUMN (widget);
  int child_height;

  if (self->child == NULL || !gtk_widget_should_layout (self->child))
    return;

  gtk_widget_measure (self->child, GTK_ORIENTATION_VERTICAL, width,
                      NULL, &child_height, NULL, NULL);
  child_height = MIN (child_height, height);

  gtk_widget_allocate (self->child, width, child_height, -1,
                       gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (0, (height - child_height) / 2)));
}

static void
ofl_scroll_column_compute_expand (GtkWidget *widget,
                                  gboolean  *hexpand,
                                  gboolean  *vexpand)
{
  OflScrollColumn *self = OFL_SCROLL_COLUMN (widget);

  *hexpand = self->child != NULL && gtk_widget_compute_expand (self->child, GTK_ORIENTATION_HORIZONTAL);
  *vexpand = self->child != NULL && gtk_widget_compute_expand (self->child, GTK_ORIENTATION_VERTICAL);
}

static GtkSizeRequestMode
ofl_scroll_column_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
ofl_scroll_column_buildable_add_child (GtkBuildable *buildable,
                                       GtkBuilder   *builder,
                                       GObject      *child,
                                       const char   *type)
{
  if (GTK_IS_WIDGET (child))
    ofl_scroll_column_set_child (OFL_SCROLL_COLUMN (buildable), GTK_WIDGET (child));
  else
    parent_buildable_iface->add_child (buildable, builder, child, type);
}

static void
ofl_scroll_column_buildable_init (GtkBuildableIface *iface)
{
  parent_buildable_iface = g_type_interface_peek_parent (iface);
  iface->add_child = ofl_scroll_column_buildable_add_child;
}

static void
ofl_scroll_column_dispose (GObject *object)
{
  OflScrollColumn *self = OFL_SCROLL_COLUMN (object);

  g_clear_pointer (&self->child, gtk_widget_unparent);

  G_OBJECT_CLASS (ofl_scroll_column_parent_class)->dispose (object);
}

static void
ofl_scroll_column_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  OflScrollColumn *self = OFL_SCROLL_COLUMN (object);

  switch (prop_id)
    {
    case PROP_CHILD:
      g_value_set_object (value, self->child);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ofl_scroll_column_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  OflScrollColumn *self = OFL_SCROLL_COLUMN (object);

  switch (prop_id)
    {
    case PROP_CHILD:
      ofl_scroll_column_set_child (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ofl_scroll_column_class_init (OflScrollColumnClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ofl_scroll_column_dispose;
  object_class->get_property = ofl_scroll_column_get_property;
  object_class->set_property = ofl_scroll_column_set_property;

  widget_class->measure = ofl_scroll_column_measure;
  widget_class->size_allocate = ofl_scroll_column_size_allocate;
  widget_class->get_request_mode = ofl_scroll_column_get_request_mode;
  widget_class->compute_expand = ofl_scroll_column_compute_expand;

  properties[PROP_CHILD] =
    g_param_spec_object ("child", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "scrollcolumn");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GENERIC);
}

static void
ofl_scroll_column_init (OflScrollColumn *self)
{
}

GtkWidget *
ofl_scroll_column_new (void)
{
  return g_object_new (OFL_TYPE_SCROLL_COLUMN, NULL);
}

GtkWidget *
ofl_scroll_column_get_child (OflScrollColumn *self)
{
  g_return_val_if_fail (OFL_IS_SCROLL_COLUMN (self), NULL);

  return self->child;
}

void
ofl_scroll_column_set_child (OflScrollColumn *self,
                             GtkWidget       *child)
{
  g_return_if_fail (OFL_IS_SCROLL_COLUMN (self));
  g_return_if_fail (child == NULL || GTK_IS_WIDGET (child));

  if (self->child == child)
    return;

  g_clear_pointer (&self->child, gtk_widget_unparent);
  if (child != NULL)
    {
      self->child = child;
      gtk_widget_set_parent (child, GTK_WIDGET (self));
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHILD]);
}
