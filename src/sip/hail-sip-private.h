/* hail-sip-private.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the message, header and URI modules of src/sip and their
 * white-box tests; nothing outside src/sip includes it.
 */
#pragma once

#include "hail-sip-error.h"
#include "hail-sip-header.h"
#include "hail-sip-message.h"
#include "hail-sip-uri.h"

#include <string.h>

G_BEGIN_DECLS

/* Character classes of the RFC 3261 §25 grammar, one bit each, looked up in
 * _hail_sip_charset (hail-sip-span.c) so that every scanning loop costs one
 * load and one test per byte. */
#define HAIL_SIP_C_TOKEN    (1u << 0)
#define HAIL_SIP_C_DIGIT    (1u << 1)
#define HAIL_SIP_C_HEX      (1u << 2)
#define HAIL_SIP_C_WS       (1u << 3)
#define HAIL_SIP_C_USER     (1u << 4)
#define HAIL_SIP_C_PASSWORD (1u << 5)
#define HAIL_SIP_C_PARAM    (1u << 6)
#define HAIL_SIP_C_HNV      (1u << 7)
#define HAIL_SIP_C_HOST     (1u << 8)
#define HAIL_SIP_C_WORD     (1u << 9)
#define HAIL_SIP_C_SCHEME   (1u << 10)
#define HAIL_SIP_C_OPAQUE   (1u << 11)
#define HAIL_SIP_C_TEL      (1u << 12)

extern const guint16 _hail_sip_charset[256];

static inline gboolean
_hail_sip_is (char     c,
              guint16  cls)
{
  return (_hail_sip_charset[(guint8) c] & cls) != 0;
}

/* Skips SP, HTAB and the CR LF of a folded line. Inside a header value every
 * CR or LF is part of a fold (the indexer guarantees it), so this is LWS. */
static inline const char *
_hail_sip_skip_ws (const char *p,
                   const char *end)
{
  while (p < end && _hail_sip_is (*p, HAIL_SIP_C_WS))
    p++;
  return p;
}

static inline const char *
_hail_sip_skip_class (const char *p,
                      const char *end,
                      guint16     cls)
{
  while (p < end && _hail_sip_is (*p, cls))
    p++;
  return p;
}

static inline HailSipSpan
_hail_sip_span (const char *start,
                const char *end)
{
  return (HailSipSpan) { start, (gsize) (end - start) };
}

static inline char
_hail_sip_lower (char c)
{
  return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
}

static inline gboolean
_hail_sip_ascii_caseeq (const char *a,
                        const char *b,
                        gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (_hail_sip_lower (a[i]) != _hail_sip_lower (b[i]))
      return FALSE;
  return TRUE;
}

#define _HAIL_SIP_FOLD_EQ(type, mask, a, b) \
  G_STMT_START { \
    type x_, y_; \
    memcpy (&x_, (a), sizeof x_); \
    memcpy (&y_, (b), sizeof y_); \
    if ((x_ | (type) (mask)) != y_) \
      return FALSE; \
  } G_STMT_END

/* Compares @len >= 2 bytes of a token with a lower-case name made of letters
 * and '-', in a few word loads: OR-ing 0x20 folds letters, and no token
 * character folds onto a letter or '-' unless it is one. Whole words, then
 * one last word overlapping the previous one. */
static inline gboolean
_hail_sip_fold_eq (const char *name,
                   const char *lower,
                   gsize       len)
{
  if (len >= 8)
    {
      for (gsize i = 0; i + 8 <= len; i += 8)
        _HAIL_SIP_FOLD_EQ (guint64, G_GUINT64_CONSTANT (0x2020202020202020), name + i, lower + i);
      _HAIL_SIP_FOLD_EQ (guint64, G_GUINT64_CONSTANT (0x2020202020202020), name + len - 8,
                         lower + len - 8);
    }
  else if (len >= 4)
    {
      _HAIL_SIP_FOLD_EQ (guint32, 0x20202020u, name, lower);
      _HAIL_SIP_FOLD_EQ (guint32, 0x20202020u, name + len - 4, lower + len - 4);
    }
  else
    {
      _HAIL_SIP_FOLD_EQ (guint16, 0x2020u, name, lower);
      _HAIL_SIP_FOLD_EQ (guint16, 0x2020u, name + len - 2, lower + len - 2);
    }
  return TRUE;
}

/* Whether a token span equals a lower-case literal of two or more letters,
 * ignoring ASCII case. */
#define _HAIL_SIP_SPAN_IS(span, lit) \
  ((span).len == sizeof (lit) - 1 && (span).ptr != NULL \
   && _hail_sip_fold_eq ((span).ptr, (lit), sizeof (lit) - 1))

HailSipHeaderId _hail_sip_header_lookup_token (const char *name,
                                               gsize       len);
const char *_hail_sip_scan_quoted      (const char *p,
                                        const char *end);
gboolean    _hail_sip_parse_uint32     (const char *p,
                                        const char *end,
                                        guint32    *value);
/* Parameters recorded while validating, so that the typed parsers need not
 * walk the list again; lists longer than this are walked. */
#define HAIL_SIP_PARAM_CACHE 8

typedef struct {
  HailSipSpan name;
  HailSipSpan value;
} HailSipParamSpan;

gboolean    _hail_sip_parse_params     (const char       **pp,
                                        const char        *end,
                                        HailSipSpan       *params,
                                        HailSipParamSpan  *cache,
                                        guint             *n_params,
                                        GError           **error);
gboolean    _hail_sip_via_parse_at     (HailSipVia        *via,
                                        const char        *p,
                                        const char        *end,
                                        const char       **next,
                                        GError           **error);
gboolean    _hail_sip_name_addr_parse_at (HailSipNameAddr *addr,
                                          const char      *p,
                                          const char      *end,
                                          gboolean         list,
                                          const char     **next,
                                          GError         **error);
const char *_hail_sip_next_comma       (const char *p,
                                        const char *end);
gboolean    _hail_sip_parse_host       (const char  **pp,
                                        const char   *end,
                                        HailSipSpan  *host,
                                        gboolean     *is_ipv6,
                                        guint        *port);

/* One header line of a parsed message: offsets into the message buffer. A
 * message keeps an array of these in the same allocation as itself. */
typedef struct {
  guint32 name_off;
  guint32 value_off;
  guint32 value_len;
  guint16 name_len;
  guint16 id;
  guint32 line;
} HailSipHeaderEntry;

#define HAIL_SIP_NO_HEADER G_MAXUINT16

/* Flags of the values checked and cached at parse time. */
enum {
  HAIL_SIP_HAVE_FROM    = 1 << 0,
  HAIL_SIP_HAVE_TO      = 1 << 1,
  HAIL_SIP_HAVE_CSEQ    = 1 << 2,
  HAIL_SIP_HAVE_CALL_ID = 1 << 3,
  HAIL_SIP_HAVE_VIA     = 1 << 4,
  HAIL_SIP_HAVE_CL      = 1 << 5,
  HAIL_SIP_HAVE_CONTACT = 1 << 6,
};

struct _HailSipMessage {
  /* Owned: the buffer every span points into. */
  GBytes         *bytes;
  const char     *data;
  gsize           size;

  /* Start line. */
  gboolean        is_request;
  HailSipSpan     method;
  HailSipSpan     request_uri;
  HailSipUriView  request_uri_view;
  guint           status;
  HailSipSpan     reason;

  HailSipSpan     body;
  gsize           content_length;

  /* Values validated while parsing, cached for the hot accessors. */
  guint           have;
  HailSipNameAddr from;
  HailSipNameAddr to;
  HailSipCSeq     cseq;
  HailSipSpan     call_id;
  HailSipVia      top_via;
  HailSipNameAddr contact;

  guint16         first[HAIL_SIP_HEADER_N_IDS];
  guint           n_headers;
  HailSipHeaderEntry headers[];
};

typedef enum {
  HAIL_SIP_PARSE_FLAG_NONE = 0,
  /* Keep going past broken headers so that a 400 can still be built: only
   * Via, From, To, Call-ID and CSeq must be readable. */
  HAIL_SIP_PARSE_FLAG_SALVAGE = 1 << 0,
} HailSipParseFlags;

HailSipMessage *_hail_sip_message_parse_full (GBytes              *bytes,
                                              HailSipParseMode     mode,
                                              const HailSipLimits *limits,
                                              HailSipParseFlags    flags,
                                              gsize               *consumed,
                                              GError             **error);

G_END_DECLS
