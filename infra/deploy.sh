#!/usr/bin/env bash
# Deploy one stage to AWS with CloudFormation, as the stack hotline-<stage>.
#   infra/deploy.sh dev    (needs AWS credentials, and an S3 bucket in HOTLINE_DEPLOY_BUCKET)
# 1. `./dev package <stage>` builds the artifact into dist/<stage>/ (no AWS needed): the
#    Lambda zip with the default flows, the dependency layer for Lambda's x86_64 CPython 3.11,
#    and sam.json, Chalice's template merged with infra/hotline.json (tables, secret, alarms).
# 2. cfn-lint checks the merged template; `aws cloudformation package` uploads the zips.
# 3. `aws cloudformation deploy` creates or updates the stack. PUBLIC_BASE_URL is
#    HOTLINE_PUBLIC_BASE_URL when set (a custom domain), else the stack's own API URL; on
#    the very first deploy that URL exists only afterwards, so the stack is deployed twice.
# After the first deploy put the Twilio credentials into the secret hotline-<stage>
# (docs/deploy.md): {"TWILIO_ACCOUNT_SID": "AC…", "TWILIO_AUTH_TOKEN": "…",
# "HOTLINE_JWT_SECRET": "…"}; the stack generates HOTLINE_JWT_SECRET itself.
set -euo pipefail
stage=${1:?usage: infra/deploy.sh <stage>}
bucket=${HOTLINE_DEPLOY_BUCKET:?set HOTLINE_DEPLOY_BUCKET to an S3 bucket for packages}
cd "$(dirname "$0")/.."
stack="hotline-$stage"
out="dist/$stage"

./dev package "$stage" --out "$out"
.venv/bin/cfn-lint "$out/sam.json"
aws cloudformation package --template-file "$out/sam.json" --s3-bucket "$bucket" \
  --output-template-file "$out/packaged.yaml"

endpoint() {
  local url
  url=$(aws cloudformation describe-stacks --stack-name "$stack" --output text \
    --query "Stacks[0].Outputs[?OutputKey=='EndpointURL'].OutputValue" 2>/dev/null || true)
  [ "$url" = None ] && url=""
  echo "${url%/}"
}

deploy() {
  aws cloudformation deploy --template-file "$out/packaged.yaml" --stack-name "$stack" \
    --capabilities CAPABILITY_IAM --no-fail-on-empty-changeset \
    --parameter-overrides "Stage=$stage" "PublicBaseUrl=$1"
}

base=${HOTLINE_PUBLIC_BASE_URL:-$(endpoint)}
base=${base%/}
if [ -z "$base" ]; then
  echo "first deploy of $stack: deploying once to learn the API's URL" >&2
  deploy ""
  base=$(endpoint)
fi
deploy "$base"
echo "deployed $stack; Twilio webhooks go to $base/twilio/voice, $base/twilio/sms"
echo "secret: hotline-$stage must hold TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (docs/deploy.md)"
