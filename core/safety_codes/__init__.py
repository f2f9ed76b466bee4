"""安全码 (safety codes): a QR code per enterprise and per risk point opening a public, read-only
page, and the enterprise's overall code colour (绿/黄/橙/红) with the reason for it."""
