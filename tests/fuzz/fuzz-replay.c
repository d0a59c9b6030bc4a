/* fuzz-replay.c: runs a fuzz target over its seed corpus and every kept
 * reproducer, as an ordinary test in every build (no libFuzzer needed). */

#include "config.h"

#include <glib.h>

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
replay_file (gconstpointer user_data)
{
  const char *path = user_data;
  g_autofree char *contents = NULL;
  gsize length;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpint (LLVMFuzzerTestOneInput ((const guint8 *) contents, length), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  g_test_init (&argc, &argv, NULL);

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GDir) dir = g_dir_open (argv[i], 0, NULL);
      const char *name;

      if (dir == NULL)
        continue;
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          char *path = g_build_filename (argv[i], name, NULL);
          g_autofree char *folder = g_path_get_basename (argv[i]);
          g_autofree char *test_path = g_strdup_printf ("/fuzz-replay/%s/%s", folder, name);
          g_ptr_array_add (paths, path);
          g_test_add_data_func (test_path, path, replay_file);
        }
    }

  if (paths->len == 0)
    g_error ("No corpus files found");

  return g_test_run ();
}
