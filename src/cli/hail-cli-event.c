/* hail-cli-event.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "hail-cli-event.h"

typedef enum {
  FIELD_STRING,
  FIELD_INT,
  FIELD_BOOL,
} FieldKind;

typedef struct {
  char *key;
  FieldKind kind;
  char *string;
  gint64 number;
} Field;

struct _HailCliEvent {
  char *name;
  GArray *fields;
};

static void
field_clear (gpointer data)
{
  Field *f = data;

  g_free (f->key);
  g_free (f->string);
}

HailCliEvent *
hail_cli_event_new (const char *name)
{
  HailCliEvent *self = g_new0 (HailCliEvent, 1);

  g_return_val_if_fail (name != NULL, NULL);

  self->name = g_strdup (name);
  self->fields = g_array_new (FALSE, TRUE, sizeof (Field));
  g_array_set_clear_func (self->fields, field_clear);
  return self;
}

void
hail_cli_event_free (HailCliEvent *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->fields);
  g_free (self->name);
  g_free (self);
}

static void
add_field (HailCliEvent *self,
           Field         field)
{
  g_array_append_val (self->fields, field);
}

void
hail_cli_event_add_string (HailCliEvent *self,
                           const char   *key,
                           const char   *value)
{
  g_return_if_fail (self != NULL && key != NULL);

  add_field (self, (Field) { g_strdup (key), FIELD_STRING, g_strdup (value ? value : ""), 0 });
}

void
hail_cli_event_add_int (HailCliEvent *self,
                        const char   *key,
                        gint64        value)
{
  g_return_if_fail (self != NULL && key != NULL);

  add_field (self, (Field) { g_strdup (key), FIELD_INT, NULL, value });
}

void
hail_cli_event_add_bool (HailCliEvent *self,
                         const char   *key,
                         gboolean      value)
{
  g_return_if_fail (self != NULL && key != NULL);

  add_field (self, (Field) { g_strdup (key), FIELD_BOOL, NULL, !!value });
}

/* Strings from the network may hold any bytes: invalid UTF-8 is replaced so
 * the output is always valid JSON (RFC 8259 requires UTF-8). */
static void
append_json_string (GString    *out,
                    const char *s)
{
  g_autofree char *valid = g_utf8_make_valid (s, -1);

  g_string_append_c (out, '"');
  for (const char *p = valid; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

char *
hail_cli_event_to_json (HailCliEvent *self)
{
  GString *out = g_string_new ("{\"event\":");

  g_return_val_if_fail (self != NULL, NULL);

  append_json_string (out, self->name);
  for (guint i = 0; i < self->fields->len; i++)
    {
      const Field *f = &g_array_index (self->fields, Field, i);

      g_string_append_c (out, ',');
      append_json_string (out, f->key);
      g_string_append_c (out, ':');
      switch (f->kind)
        {
        case FIELD_STRING:
          append_json_string (out, f->string);
          break;
        case FIELD_INT:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, f->number);
          break;
        case FIELD_BOOL:
          g_string_append (out, f->number ? "true" : "false");
          break;
        }
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

/* Control characters from a peer (terminal escapes) must never reach a
 * terminal raw. */
static gboolean
needs_quoting (const char *s)
{
  if (*s == '\0')
    return TRUE;
  for (const guchar *p = (const guchar *) s; *p != '\0'; p++)
    if (*p <= ' ' || *p == '"' || *p == '\\' || *p == 0x7f)
      return TRUE;
  return FALSE;
}

char *
hail_cli_event_to_text (HailCliEvent *self)
{
  GString *out = g_string_new (self->name);

  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->fields->len; i++)
    {
      const Field *f = &g_array_index (self->fields, Field, i);

      g_string_append_printf (out, " %s=", f->key);
      switch (f->kind)
        {
        case FIELD_STRING:
          /* Values with spaces or quotes are quoted JSON-style so the line
           * stays splittable; plain tokens stay bare for readability. */
          if (needs_quoting (f->string))
            append_json_string (out, f->string);
          else
            {
              g_autofree char *valid = g_utf8_make_valid (f->string, -1);
              g_string_append (out, valid);
            }
          break;
        case FIELD_INT:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, f->number);
          break;
        case FIELD_BOOL:
          g_string_append (out, f->number ? "yes" : "no");
          break;
        }
    }
  return g_string_free (out, FALSE);
}

void
hail_cli_event_emit (HailCliEvent *self,
                     gboolean      json)
{
  g_autofree char *line = json ? hail_cli_event_to_json (self) : hail_cli_event_to_text (self);

  /* One event per line, flushed at once: tests and scripts read them live. */
  fputs (line, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}
