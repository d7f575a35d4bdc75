import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

/** zod with `.openapi()`; the API's own schemas import z from here so the extension is in place first. */
extendZodWithOpenApi(z);

export { z };
