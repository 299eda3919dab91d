import { titled } from "@/lib/server-i18n";
import { Suspense } from "react";

import { ResetPasswordForm } from "./reset-form";

export const generateMetadata = titled("auth.resetConfirm.title");

export default function ResetPasswordPage() {
  return (
    <Suspense>
      <ResetPasswordForm />
    </Suspense>
  );
}
