/** Tailwind CSS v4 runs as a PostCSS plugin; Next picks this file up. */
export default {
  plugins: { '@tailwindcss/postcss': {} },
};
