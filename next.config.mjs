const development = process.env.NODE_ENV !== "production";

/**
 * Content-Security-Policy of the console. Next.js streams its RSC payload in inline
 * `<script>self.__next_f.push(…)</script>` tags and injects inline styles, so scripts and styles
 * need 'unsafe-inline' unless every page were rendered per request with a nonce (which would give
 * up static rendering). What the policy still buys: no script, style, frame or connection to any
 * other origin, no plugins, no <base> hijack, forms post only here, and no framing (clickjacking).
 * The dev server additionally needs eval (React Refresh) and its HMR websocket.
 */
const contentSecurityPolicy = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${development ? " 'unsafe-eval'" : ""}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  `connect-src 'self'${development ? " ws: wss:" : ""}`,
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "frame-src 'none'",
  "worker-src 'self' blob:",
  "manifest-src 'self'",
].join("; ");

const securityHeaders = [
  { key: "Content-Security-Policy", value: contentSecurityPolicy },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  {
    key: "Permissions-Policy",
    value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
  },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "X-DNS-Prefetch-Control", value: "off" },
];

/**
 * HSTS only where the console is reached over HTTPS: behind a TLS-terminating proxy that says so
 * (X-Forwarded-Proto: https), and always on Vercel. Never on plain-HTTP local installs, where a
 * browser would then refuse http://localhost for a year.
 */
const hsts = { key: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" };

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Test suites that each run a Next dev server use separate dist dirs (one dev server per dir).
  distDir: process.env.SWITCHYARD_NEXT_DIST_DIR || ".next",
  reactStrictMode: true,
  poweredByHeader: false,
  // Native/WASM database drivers must be loaded by Node, not bundled.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "@electric-sql/pglite-pgvector",
    "@electric-sql/pglite-socket",
    "postgres",
    "bcryptjs",
  ],
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      process.env.VERCEL
        ? { source: "/:path*", headers: [hsts] }
        : {
            source: "/:path*",
            has: [{ type: "header", key: "x-forwarded-proto", value: "https" }],
            headers: [hsts],
          },
    ];
  },
};

export default nextConfig;
