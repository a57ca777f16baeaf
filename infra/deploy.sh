#!/usr/bin/env bash
# Deploy one stage to AWS: package the Chalice app, merge Hotline's tables, secrets and
# alarms (infra/hotline.json, generated from the PynamoDB models), and deploy the stack.
#   infra/deploy.sh dev    (needs AWS credentials, and an S3 bucket in HOTLINE_DEPLOY_BUCKET)
# After the first deploy, put the Twilio credentials into the secret hotline-<stage>
# (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN), and set PUBLIC_BASE_URL in .chalice/config.json
# to the API's URL including its stage (e.g. https://abc.execute-api.us-east-1.amazonaws.com/api).
set -euo pipefail
stage=${1:?usage: infra/deploy.sh <stage>}
bucket=${HOTLINE_DEPLOY_BUCKET:?set HOTLINE_DEPLOY_BUCKET to an S3 bucket for packages}
cd "$(dirname "$0")/.."
.venv/bin/python -m devtools.infra
.venv/bin/cfn-lint infra/hotline.json
out=$(mktemp -d)
.venv/bin/chalice package --stage "$stage" --merge-template infra/hotline.json "$out"
aws cloudformation package --template-file "$out/sam.json" --s3-bucket "$bucket" \
  --output-template-file "$out/packaged.yaml"
aws cloudformation deploy --template-file "$out/packaged.yaml" --stack-name "hotline-$stage" \
  --capabilities CAPABILITY_IAM --parameter-overrides "Stage=$stage"
