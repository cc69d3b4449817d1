import { baseConfig } from '@wallet/eslint-config/base';

export default baseConfig;
