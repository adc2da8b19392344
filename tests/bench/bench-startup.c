/* bench-startup.c: start-up time and memory of Hail against an empty
 * libadwaita window, measured as UX.md does: from exec to the first window
 * of the process mapped on the X server, median of 5 runs (after one
 * discarded warm-up run), with whatever GSK_RENDERER the caller sets
 * (meson sets cairo: no GPU under Xvfb). Memory is the process's resident
 * set when the window maps, and again SETTLE_MS later, once the work Hail
 * starts after its window (accounts, registration, history) has run. The
 * CPU time the process used until its window mapped is printed too: on a
 * shared, busy machine it varies less than the wall-clock time.
 *
 *   hail-bench-startup EMPTY_WINDOW HAIL SEED_STORE
 *
 * Cases: the empty window; Hail's first run (the account wizard); Hail
 * with one account (a closed loopback port: the failure is found after the
 * window shows) and a history written by SEED_STORE (the main window).
 * Each run gets its own HOME. Needs DISPLAY (X11) and a session bus, and
 * GSETTINGS_SCHEMA_DIR naming Hail's compiled schema.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <glib/gstdio.h>

#include <X11/Xatom.h>
#include <X11/Xlib.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define RUNS 5
#define MAP_TIMEOUT_MS 30000
#define SETTLE_MS 2000
#define BUS_TIMEOUT_MS 5000

/* Nothing listens on the discard port of loopback: the account's check
 * fails at once, after the window is up. */
#define KEYFILE "[io/github/hailphone/Hail]\n" \
                "accounts=[{'address': <'sip:alice@127.0.0.1:9;transport=tcp'>}]\n"

typedef struct {
  const char *name;
  const char *bus_name;         /* its GApplication id, to wait until it is gone */
  const char *program;
  gboolean    returning_user;   /* an account and a history, not a first run */
} Case;

typedef struct {
  double map_ms;
  double rss_map_mb;
  double rss_settled_mb;
  double cpu_ms;            /* user + system until mapped: steadier on a busy machine */
  char   title[64];         /* of the window mapped, to show which it was */
} Run;

static Display *display;
static Atom net_wm_pid;
static const char *seed_store;

static gint64
now_us (void)
{
  return g_get_monotonic_time ();
}

static double
rss_mb (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents (path, &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  return line != NULL ? g_ascii_strtod (line + strlen ("VmRSS:"), NULL) / 1024.0 : -1;
}

/* utime + stime from /proc/PID/stat, after the command name (which may
 * hold spaces): fields 14 and 15. */
static double
cpu_ms (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after;

  if (!g_file_get_contents (path, &stat, NULL, NULL) || (after = strrchr (stat, ')')) == NULL)
    return -1;
  fields = g_strsplit (after + 2, " ", 16);
  if (g_strv_length (fields) < 14)
    return -1;
  /* fields[0] is field 3 (state). */
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) * 1000.0 /
         sysconf (_SC_CLK_TCK);
}

static GPid
window_pid (Window window)
{
  Atom type;
  int format;
  unsigned long n, after;
  unsigned char *data = NULL;
  GPid pid = 0;

  if (XGetWindowProperty (display, window, net_wm_pid, 0, 1, False, XA_CARDINAL, &type, &format,
                          &n, &after, &data) == Success && data != NULL)
    {
      if (type == XA_CARDINAL && format == 32 && n == 1)
        pid = (GPid) *(unsigned long *) data;
      XFree (data);
    }
  return pid;
}

/* Waits until PID maps a top-level window, at most timeout_ms; with
 * pid == 0, only drains the X events for timeout_ms. */
static gboolean
wait_mapped (GPid    pid,
             int     timeout_ms,
             Window *mapped)
{
  gint64 end = now_us () + (gint64) timeout_ms * 1000;

  for (;;)
    {
      struct pollfd fd = { ConnectionNumber (display), POLLIN, 0 };
      gint64 left;

      while (XPending (display) > 0)
        {
          XEvent event;

          XNextEvent (display, &event);
          if (pid != 0 && event.type == MapNotify && window_pid (event.xmap.window) == pid)
            {
              *mapped = event.xmap.window;
              return TRUE;
            }
        }
      left = (end - now_us ()) / 1000;
      if (left <= 0)
        return FALSE;
      if (poll (&fd, 1, (int) left) < 0 && errno != EINTR)
        g_error ("poll: %s", g_strerror (errno));
    }
}

static void
vanished_cb (GDBusConnection *bus,
             const char      *name,
             gpointer         user_data)
{
  *(gboolean *) user_data = TRUE;
}

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* The next run must own the application name itself, not find the
 * previous instance still on the bus and hand its activation over. */
static void
wait_name_gone (GDBusConnection *bus,
                const char      *name)
{
  gboolean gone = FALSE, timed_out = FALSE;
  guint watch = g_bus_watch_name_on_connection (bus, name, G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                NULL, vanished_cb, &gone, NULL);
  guint timeout = g_timeout_add (BUS_TIMEOUT_MS, timeout_cb, &timed_out);

  while (!gone && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_bus_unwatch_name (watch);
  if (!timed_out)
    g_source_remove (timeout);
  else
    g_error ("%s still owned %d ms after its process ended", name, BUS_TIMEOUT_MS);
}

static void
remove_tree (const char *dir)
{
  const char *argv[] = { "rm", "-rf", dir, NULL };
  g_autoptr(GError) error = NULL;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                     NULL, &error))
    g_error ("rm %s: %s", dir, error->message);
}

static char **
environment_for (const char *home,
                 gboolean    keyfile)
{
  char **env = g_get_environ ();
  static const struct { const char *var, *sub; } dirs[] = {
    { "HOME", NULL }, { "XDG_CONFIG_HOME", ".config" }, { "XDG_DATA_HOME", ".local/share" },
    { "XDG_CACHE_HOME", ".cache" }, { "XDG_STATE_HOME", ".local/state" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *dir = dirs[i].sub ? g_build_filename (home, dirs[i].sub, NULL)
                                         : g_strdup (home);

      env = g_environ_setenv (env, dirs[i].var, dir, TRUE);
    }
  env = g_environ_setenv (env, "GDK_BACKEND", "x11", TRUE);
  env = g_environ_setenv (env, "GSETTINGS_BACKEND", keyfile ? "keyfile" : "memory", TRUE);
  return env;
}

/* A returning user's HOME: one account in GSettings (the keyfile backend)
 * and the history SEED_STORE writes through the store's API. */
static void
prepare_returning_user (const char  *home,
                        char       **env)
{
  g_autofree char *settings_dir = g_build_filename (home, ".config", "glib-2.0", "settings",
                                                    NULL);
  g_autofree char *keyfile = g_build_filename (settings_dir, "keyfile", NULL);
  const char *argv[] = { seed_store, NULL };
  g_autoptr(GError) error = NULL;
  int status;

  if (g_mkdir_with_parents (settings_dir, 0700) != 0)
    g_error ("mkdir %s: %s", settings_dir, g_strerror (errno));
  if (!g_file_set_contents (keyfile, KEYFILE, -1, &error))
    g_error ("%s", error->message);
  if (!g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                     NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("%s: %s", seed_store, error->message);
}

static Run
run_once (const Case      *c,
          GDBusConnection *bus)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *home = g_dir_make_tmp ("hail-bench-startup-XXXXXX", &error);
  g_auto(GStrv) env = NULL;
  const char *argv[] = { c->program, NULL };
  Run run = { 0 };
  GPid pid;
  gint64 start;
  int status;
  Window window;
  char *title = NULL;

  if (home == NULL)
    g_error ("%s", error->message);
  env = environment_for (home, c->returning_user);
  if (c->returning_user)
    prepare_returning_user (home, env);

  XSync (display, True);      /* forget earlier maps */
  start = now_us ();
  if (!g_spawn_async (NULL, (char **) argv, env, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid,
                      &error))
    g_error ("%s: %s", c->program, error->message);
  if (!wait_mapped (pid, MAP_TIMEOUT_MS, &window))
    g_error ("%s: no window mapped within %d ms", c->name, MAP_TIMEOUT_MS);
  run.map_ms = (now_us () - start) / 1000.0;
  run.rss_map_mb = rss_mb (pid);
  run.cpu_ms = cpu_ms (pid);
  wait_mapped (0, SETTLE_MS, NULL);
  run.rss_settled_mb = rss_mb (pid);
  if (XFetchName (display, window, &title) && title != NULL)
    {
      g_strlcpy (run.title, title, sizeof run.title);
      XFree (title);
    }

  if (waitpid (pid, &status, WNOHANG) != 0)
    g_error ("%s ended before it was stopped", c->name);
  kill (pid, SIGKILL);
  if (waitpid (pid, &status, 0) < 0)
    g_error ("waitpid: %s", g_strerror (errno));
  g_spawn_close_pid (pid);
  wait_name_gone (bus, c->bus_name);
  remove_tree (home);
  return run;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double values[RUNS])
{
  double sorted[RUNS];

  memcpy (sorted, values, sizeof sorted);
  qsort (sorted, RUNS, sizeof sorted[0], compare_double);
  return sorted[RUNS / 2];
}

int
main (int   argc,
      char *argv[])
{
  Case cases[] = {
    { "empty libadwaita window", "io.github.hailphone.Hail.BenchEmpty", NULL, FALSE },
    { "Hail, first run", "io.github.hailphone.Hail", NULL, FALSE },
    { "Hail, account + history", "io.github.hailphone.Hail", NULL, TRUE },
  };
  double map[G_N_ELEMENTS (cases)][RUNS];
  double rss[G_N_ELEMENTS (cases)][RUNS];
  double settled[G_N_ELEMENTS (cases)][RUNS];
  double cpu[G_N_ELEMENTS (cases)][RUNS];
  double med_map[G_N_ELEMENTS (cases)], med_rss[G_N_ELEMENTS (cases)];
  char titles[G_N_ELEMENTS (cases)][64];
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;

  if (argc != 4)
    {
      g_printerr ("usage: %s EMPTY_WINDOW HAIL SEED_STORE\n", argv[0]);
      return 2;
    }
  cases[0].program = argv[1];
  cases[1].program = cases[2].program = argv[2];
  seed_store = argv[3];

  display = XOpenDisplay (NULL);
  if (display == NULL)
    {
      g_printerr ("SKIP: no X display (run under xvfb-run)\n");
      return 77;
    }
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (bus == NULL)
    {
      g_printerr ("SKIP: no session bus: %s\n", error->message);
      return 77;
    }
  net_wm_pid = XInternAtom (display, "_NET_WM_PID", False);
  XSelectInput (display, DefaultRootWindow (display), SubstructureNotifyMask);

  g_print ("Start-up: exec to window mapped, median of %d (one warm-up run discarded), "
           "GSK_RENDERER=%s\n", RUNS, g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER")
                                                                 : "(default)");
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    run_once (&cases[c], bus);
  /* Interleaved, so that a busy moment of the shared machine hits every
   * case alike. */
  for (guint r = 0; r < RUNS; r++)
    for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
      {
        Run run = run_once (&cases[c], bus);

        map[c][r] = run.map_ms;
        rss[c][r] = run.rss_map_mb;
        settled[c][r] = run.rss_settled_mb;
        cpu[c][r] = run.cpu_ms;
        memcpy (titles[c], run.title, sizeof titles[c]);
      }

  g_print ("%-26s %9s %8s %8s %8s %8s %11s  %s\n", "case", "median ms", "min ms", "max ms",
           "CPU ms", "RSS MB", "RSS MB +2s", "window");
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      double lo = map[c][0], hi = map[c][0];

      for (guint r = 1; r < RUNS; r++)
        {
          lo = MIN (lo, map[c][r]);
          hi = MAX (hi, map[c][r]);
        }
      med_map[c] = median (map[c]);
      med_rss[c] = median (rss[c]);
      g_print ("%-26s %9.1f %8.1f %8.1f %8.0f %8.1f %11.1f  %s\n", cases[c].name, med_map[c],
               lo, hi, median (cpu[c]), med_rss[c], median (settled[c]), titles[c]);
    }
  for (guint c = 1; c < G_N_ELEMENTS (cases); c++)
    g_print ("%s: %+.1f ms, %+.1f MB over the empty window\n", cases[c].name,
             med_map[c] - med_map[0], med_rss[c] - med_rss[0]);
  XCloseDisplay (display);
  return 0;
}
